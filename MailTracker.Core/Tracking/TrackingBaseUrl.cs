using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking;

/// <summary>Where recipients' mail clients reach the tracking endpoints: <c>Tracking:PublicBaseUrl</c>, else the app's own address.</summary>
public sealed class TrackingBaseUrl(IOptions<TrackingOptions> options, IServiceProvider services)
{
    public string Get()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            return options.Value.PublicBaseUrl.TrimEnd('/');
        }

        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault()
            ?? "http://localhost:5000";
        var uri = new Uri(address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>True when recipients on other machines could not reach the tracking endpoints.</summary>
    public bool IsLoopback()
    {
        var uri = new Uri(Get());
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
