using System.Net;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Decides who caused a hit, so that the open and click counts tell the truth: image proxies that fetch
/// when the recipient opens count; privacy prefetching, security scanners and the sender do not.
/// </summary>
public sealed class HitClassifier(IOptions<TrackingOptions> options)
{
    // Proxies that fetch images when the recipient actually opens the mail.
    private static readonly string[] OpenProxyAgents = ["GoogleImageProxy", "ggpht.com", "YahooMailProxy"];

    // Security gateways, link checkers, preview bots and scripts.
    private static readonly string[] ScannerAgents =
    [
        "bot", "spider", "crawler", "preview", "scanner", "curl/", "wget/", "python-requests", "python-urllib",
        "go-http-client", "java/", "okhttp", "libwww", "headlesschrome", "phantomjs", "barracuda", "mimecast",
        "proofpoint", "forcepoint", "symantec", "trendmicro", "sophos", "fortiguard", "microsoft office existence discovery",
        "ms-office", "skypeuripreview", "slackbot", "facebookexternalhit", "whatsapp", "linkedinbot",
    ];

    // Apple Mail Privacy Protection fetches every image through Apple's network, opened or not.
    private static readonly IPNetwork AppleNetwork = IPNetwork.Parse("17.0.0.0/8");

    public HitSource Classify(TrackingHit hit, TokenTarget target)
    {
        if (hit.SignedInUserId is not null && hit.SignedInUserId == target.OwnerId)
        {
            return HitSource.Sender;
        }

        var agent = hit.UserAgent ?? "";
        if (hit.Kind == TrackingKind.Open && OpenProxyAgents.Any(p => agent.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return HitSource.ImageProxy;
        }

        if (string.IsNullOrWhiteSpace(agent) || ScannerAgents.Any(p => agent.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return HitSource.LinkScanner;
        }

        var sinceSent = target.SentAt is { } sent ? hit.At - sent : TimeSpan.MaxValue;
        if (hit.Kind == TrackingKind.Open)
        {
            if (hit.ClientIp is { } ip && AppleNetwork.Contains(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip))
            {
                return HitSource.PrivacyPrefetch;
            }

            if (sinceSent < TimeSpan.FromSeconds(options.Value.PrefetchWindowSeconds))
            {
                return HitSource.PrivacyPrefetch;
            }
        }
        else if (sinceSent < TimeSpan.FromSeconds(options.Value.ScannerWindowSeconds))
        {
            return HitSource.LinkScanner;
        }

        return HitSource.Human;
    }

    public static bool Counts(HitSource source) => source is HitSource.Human or HitSource.ImageProxy or HitSource.Reply;

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
