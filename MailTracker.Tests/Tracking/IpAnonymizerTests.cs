using System.Net;
using MailTracker.Core.Tracking;
using Microsoft.Extensions.Options;

namespace MailTracker.Tests.Tracking;

public class IpAnonymizerTests
{
    [Theory]
    [InlineData(IpAnonymization.Truncate, "203.0.113.77", "203.0.113.0")]
    [InlineData(IpAnonymization.Truncate, "2001:db8:1234:5678:9abc:def0:1234:5678", "2001:db8:1234::")]
    [InlineData(IpAnonymization.None, "203.0.113.77", "203.0.113.77")]
    [InlineData(IpAnonymization.Drop, "203.0.113.77", null)]
    public void ClientAddressesAreStoredAsConfigured(IpAnonymization mode, string ip, string? stored)
    {
        var anonymizer = new IpAnonymizer(Options.Create(new TrackingOptions { IpAnonymization = mode }));

        Assert.Equal(stored, anonymizer.StoredAddress(IPAddress.Parse(ip)));
    }
}
