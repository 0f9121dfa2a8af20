using System.Net;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking;

/// <summary>How much of a client address an event keeps: <see cref="TrackingOptions.IpAnonymization"/>.</summary>
public sealed class IpAnonymizer(IOptions<TrackingOptions> options)
{
    /// <summary>Applies <see cref="TrackingOptions.IpAnonymization"/> to a client address.</summary>
    public string? StoredAddress(IPAddress? ip)
    {
        if (ip is null || options.Value.IpAnonymization == IpAnonymization.Drop)
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (options.Value.IpAnonymization == IpAnonymization.None)
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        var keep = bytes.Length == 4 ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        return new IPAddress(bytes).ToString();
    }
}
