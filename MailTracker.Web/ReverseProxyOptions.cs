using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MailTracker.Web;

/// <summary>
/// The <c>ReverseProxy</c> section: which peers may tell the app the real client address and scheme
/// (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>). Empty (the default): nobody; the headers are ignored and the
/// peer's own address is the client's. The stored IP, the tracking rate limit and the verdicts all use the result.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public bool IsValid() =>
        KnownProxies.All(p => IPAddress.TryParse(p, out _)) && KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));

    /// <summary>Trusts exactly the configured peers (ASP.NET Core's defaults, loopback, are dropped).</summary>
    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = null;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
