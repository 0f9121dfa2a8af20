using MailTracker.Core.Operations;
using OpenTelemetry.Metrics;

namespace MailTracker.Web.Operations;

/// <summary>The <c>Metrics</c> section: whether Prometheus may scrape <see cref="Path"/>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve the OpenTelemetry metrics in Prometheus' text format at <see cref="Path"/> (off by default).</summary>
    public bool Prometheus { get; set; }

    public string Path { get; set; } = "/metrics";
}

/// <summary>
/// OpenTelemetry metrics: ASP.NET Core's (HTTP server, Kestrel, routing, SignalR, Blazor circuits), EF Core's, and
/// MailTracker's own meter (<see cref="MailTrackerMetrics"/>); a Prometheus scrape endpoint when switched on.
/// </summary>
public static class MetricsSetup
{
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.EntityFrameworkCore",
    ];

    public static IHostApplicationBuilder AddMailTrackerMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.Path.StartsWith('/'), "Metrics:Path must start with '/', e.g. /metrics.")
            .ValidateOnStart();
        var prometheus = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Prometheus == true;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddMeter(FrameworkMeters).AddMeter(MailTrackerMetrics.MeterName);
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapMailTrackerMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Prometheus)
        {
            // Anonymous, as scrapers are: keep the path to the scraper's network at the reverse proxy (README).
            app.MapPrometheusScrapingEndpoint(options.Path).AllowAnonymous().DisableHttpMetrics();
        }

        return app;
    }
}
