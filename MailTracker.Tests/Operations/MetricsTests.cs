using System.Net;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Operations;

/// <summary>With Metrics:Prometheus on, /metrics serves ASP.NET Core's, EF Core's and MailTracker's own metrics; off, nothing.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task PrometheusScrapesSendFailuresOutboxDepthAndTheFrameworksMetrics()
    {
        await using var app = new MailTrackerApp().Set("Metrics:Prometheus", "true");
        var user = await app.CreateUserAsync("metrics@example.com");
        var queued = await app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = "nobody@reject.invalid", Subject = "Refused", HtmlBody = "<p>x</p>" });
        Assert.True(queued.Succeeded);
        using var scraper = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        (await scraper.GetAsync("/Account/Login")).EnsureSuccessStatusCode();

        var metrics = await Eventually.ReturnsAsync(async () =>
        {
            var text = await scraper.GetStringAsync("/metrics");
            return text.Contains("mailtracker_outbox_send_failures_total{otel_scope_name=\"MailTracker\",outcome=\"permanent\"} 1", StringComparison.Ordinal)
                && text.Contains("mailtracker_outbox_depth{otel_scope_name=\"MailTracker\",status=\"sending\"} 0", StringComparison.Ordinal) ? text : null;
        }, "the refused send to be counted");

        Assert.Contains("http_server_request_duration_seconds", metrics);
        Assert.Contains("microsoft_entityframeworkcore", metrics);
    }

    [Fact]
    public async Task WithoutTheSwitchThereIsNoScrapeEndpoint()
    {
        await using var app = new MailTrackerApp();
        await app.CreateUserAsync("no-metrics@example.com");
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var response = await anonymous.GetAsync("/metrics");

        // Like any address that is not a public endpoint: the sign-in page, not a metric.
        Assert.EndsWith("/Account/Login?ReturnUrl=%2Fmetrics", response.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync());
    }
}
