using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Tracking;

/// <summary>
/// The per-client recording limit against a client that changes its address: an IPv6 host picks any address in its
/// /64 at will (privacy extensions do so by themselves), so the limit counts the /64, as IPv6 rate limits do.
/// </summary>
public sealed class TrackingRateLimitTests(TrackingPipelineTests.ProxiedApp app) : IClassFixture<TrackingPipelineTests.ProxiedApp>
{
    private const string Thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0";

    private HttpClient Client(string clientIp)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Thunderbird);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    [Fact]
    public async Task AnIpv6ClientRotatingAddressesInItsSubnetRecordsNoMoreThanTheLimit()
    {
        var sender = await app.CreateUserAsync("rotate@ratelimit.test");
        var mail = await TestMail.SendAsync(app, sender);

        // 20 addresses of one /64 (the limit is 5 a minute), then one of another /64.
        foreach (var i in Enumerable.Range(1, 20))
        {
            using var client = Client($"2001:db8:1:2::{i:x}");
            (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        }

        using (var neighbour = Client("2001:db8:1:3::1"))
        {
            (await neighbour.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        }

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        // Five from the rotating client, one from its neighbour.
        Assert.Equal(6, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId));
    }
}
