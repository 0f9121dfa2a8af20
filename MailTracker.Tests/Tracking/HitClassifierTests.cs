using System.Net;
using MailTracker.Core.Tracking;
using Microsoft.Extensions.Options;

namespace MailTracker.Tests.Tracking;

public class HitClassifierTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    private static readonly DateTime Sent = new(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);

    private readonly HitClassifier _classifier = new(Options.Create(new TrackingOptions { ScannerWindowSeconds = 5, PrefetchWindowSeconds = 2 }));

    private static TokenTarget Target(TrackingKind kind) =>
        new("tok", kind, 1, "owner", kind == TrackingKind.Click ? 7 : null, kind == TrackingKind.Click ? "https://example.com" : null, null, Sent, "Hi", "Bob");

    private static TrackingHit Hit(TrackingKind kind, TimeSpan after, string? agent = Chrome, string ip = "203.0.113.9", string? signedIn = null) =>
        new("tok", kind, Sent + after, agent, IPAddress.Parse(ip), signedIn);

    [Fact]
    public void ARecipientOpeningLaterIsHuman() =>
        Assert.Equal(HitSource.Human, _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromMinutes(5)), Target(TrackingKind.Open)));

    [Fact]
    public void TheSenderSignedInIsNotCounted()
    {
        var source = _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromHours(1), signedIn: "owner"), Target(TrackingKind.Open));

        Assert.Equal(HitSource.Sender, source);
        Assert.False(HitClassifier.Counts(source));
    }

    [Fact]
    public void AnotherSignedInUserIsStillARecipient() =>
        Assert.Equal(HitSource.Human, _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromHours(1), signedIn: "colleague"), Target(TrackingKind.Open)));

    [Fact]
    public void GmailImageProxyCountsAsAnOpen()
    {
        var source = _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromMinutes(3), "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"), Target(TrackingKind.Open));

        Assert.Equal(HitSource.ImageProxy, source);
        Assert.True(HitClassifier.Counts(source));
    }

    [Fact]
    public void ApplePrivacyProtectionPrefetchIsNotAnOpen()
    {
        var source = _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromMinutes(3), "Mozilla/5.0", "17.58.101.4"), Target(TrackingKind.Open));

        Assert.Equal(HitSource.PrivacyPrefetch, source);
        Assert.False(HitClassifier.Counts(source));
    }

    [Fact]
    public void AnOpenTheMomentTheMailIsDeliveredIsAPrefetch() =>
        Assert.Equal(HitSource.PrivacyPrefetch, _classifier.Classify(Hit(TrackingKind.Open, TimeSpan.FromSeconds(1)), Target(TrackingKind.Open)));

    [Fact]
    public void AClickSecondsAfterSendingIsAScanner() =>
        Assert.Equal(HitSource.LinkScanner, _classifier.Classify(Hit(TrackingKind.Click, TimeSpan.FromSeconds(3)), Target(TrackingKind.Click)));

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Barracuda Sentinel)")]
    [InlineData("python-requests/2.31")]
    [InlineData("curl/8.4.0")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36")]
    [InlineData("")]
    public void SecurityScannersAndBotsDoNotClick(string agent) =>
        Assert.Equal(HitSource.LinkScanner, _classifier.Classify(Hit(TrackingKind.Click, TimeSpan.FromHours(2), agent), Target(TrackingKind.Click)));

    [Fact]
    public void ARealClickLaterIsHuman() =>
        Assert.Equal(HitSource.Human, _classifier.Classify(Hit(TrackingKind.Click, TimeSpan.FromMinutes(10)), Target(TrackingKind.Click)));

    [Theory]
    [InlineData(IpAnonymization.Truncate, "203.0.113.77", "203.0.113.0")]
    [InlineData(IpAnonymization.Truncate, "2001:db8:1234:5678:9abc:def0:1234:5678", "2001:db8:1234::")]
    [InlineData(IpAnonymization.None, "203.0.113.77", "203.0.113.77")]
    [InlineData(IpAnonymization.Drop, "203.0.113.77", null)]
    public void ClientAddressesAreStoredAsConfigured(IpAnonymization mode, string ip, string? stored)
    {
        var classifier = new HitClassifier(Options.Create(new TrackingOptions { IpAnonymization = mode }));

        Assert.Equal(stored, classifier.StoredAddress(IPAddress.Parse(ip)));
    }
}
