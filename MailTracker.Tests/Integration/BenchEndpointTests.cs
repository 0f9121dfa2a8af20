using System.Net;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>The benchmark's endpoints exist only in bench mode, and even there record nothing.</summary>
public sealed class BenchEndpointTests
{
    [Theory]
    [InlineData("/bench/gif")]
    [InlineData("/bench/handoff.gif")]
    public async Task WithoutBenchModeTheBenchmarkEndpointsAreNotThere(string path)
    {
        await using var app = new MailTrackerApp();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        await app.CreateUserAsync("no-bench@example.com");

        var response = await client.GetAsync(path);

        // Like any address the app does not serve: an anonymous caller is sent to sign in, and gets no pixel.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task TheHandOffProbeAnswersThePixelAndRecordsNothing()
    {
        await using var app = new MailTrackerApp().Set("Tracking:BenchEndpoint", "true");
        using var client = new HttpClient { BaseAddress = new Uri(app.Start().BaseUrl) };
        var user = await app.CreateUserAsync("probe@example.com");
        var mail = await TestMail.SendAsync(app, user);

        var probes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/bench/handoff.gif")));
        // A real open after them is the only thing recorded: the probes went through a writer of their own that keeps nothing.
        (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();

        Assert.All(probes, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.All(probes, p => Assert.Equal("image/gif", p.Content.Headers.ContentType!.MediaType));
        await using var db = await app.DbAsync();
        Assert.Equal(1, await db.TrackingEvents.CountAsync());
    }
}
