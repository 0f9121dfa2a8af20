using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Tracking;

/// <summary>
/// A client behind the trusted proxy that sends an X-Forwarded-For of its own: the proxy appends the address it saw,
/// and only that one counts — the client cannot choose the address stored, judged and rate-limited.
/// </summary>
public sealed class ForwardedForChainTests(TrackingPipelineTests.ProxiedApp app) : IClassFixture<TrackingPipelineTests.ProxiedApp>
{
    [Theory]
    [InlineData("17.58.0.1, 198.51.100.7")]            // claims Apple's proxy network
    [InlineData("127.0.0.1, 198.51.100.7")]            // claims to be the trusted proxy itself
    [InlineData("garbage, <script>, 198.51.100.7")]
    public async Task OnlyTheAddressTheTrustedProxySawIsTheClients(string forwardedFor)
    {
        var sender = await app.CreateUserAsync($"chain-{Math.Abs(forwardedFor.GetHashCode()):x}@pipeline.test");
        var mail = await TestMail.SendAsync(app, sender);
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0");
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);

        (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        Assert.Equal("198.51.100.0", (await db.TrackingEvents.SingleAsync(e => e.MessageId == mail.MessageId)).IpAddress);
    }
}
