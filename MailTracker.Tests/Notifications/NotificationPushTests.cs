using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Notifications;

public sealed class NotificationPushTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private static HttpClient MailClient(string baseUrl)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        return client;
    }

    [Fact]
    public async Task APixelHitPushesExactlyOneEventToTheSenderAndNoneToAnotherUser()
    {
        var sender = await app.CreateUserAsync("push-sender@example.com");
        await app.CreateUserAsync("push-other@example.com");
        var mail = await TestMail.SendAsync(app, sender, subject: "Push me");
        var (_, senderCookies) = await TestMail.SignInAsync(app, "push-sender@example.com");
        var (_, otherCookies) = await TestMail.SignInAsync(app, "push-other@example.com");
        await using var senderHub = await HubClient.ConnectAsync(app.BaseUrl, senderCookies);
        await using var otherHub = await HubClient.ConnectAsync(app.BaseUrl, otherCookies);

        await MailClient(app.BaseUrl).GetAsync($"/t/o/{mail.OpenToken}.gif");

        var push = await Eventually.ReturnsAsync(() => Task.FromResult(senderHub.Received.TryPeek(out var e) ? e : null), "the sender's push");
        Assert.Equal(UserPushKinds.Tracking, push.Kind);
        Assert.Equal(mail.MessageId, push.MessageId);
        Assert.NotNull(push.NotificationId);

        // A second, later event proves the queues have drained: the other user still got nothing, the sender one each.
        await MailClient(app.BaseUrl).GetAsync($"/t/c/{mail.ClickTokens[0]}");
        await Eventually.TrueAsync(() => Task.FromResult(senderHub.Received.Count == 2), "the sender's second push");
        Assert.Empty(otherHub.Received);
    }

    [Fact]
    public async Task TheHubRefusesAnonymousConnections()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(new Uri(app.Start().BaseUrl), "/hubs/notifications")).Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task OnlyCountedHitsRingTheBell()
    {
        var sender = await app.CreateUserAsync("bot-only@example.com");
        var mail = await TestMail.SendAsync(app, sender, subject: "Scanned");
        using var scanner = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        scanner.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (compatible; Barracuda Sentinel)");

        await scanner.GetAsync($"/t/c/{mail.ClickTokens[0]}");

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        Assert.Equal(1, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId && e.Verdict == Verdict.Scanner));
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.MessageId == mail.MessageId));
    }
}
