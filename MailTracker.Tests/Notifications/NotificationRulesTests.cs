using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Notifications;

/// <summary>The bell's rules (Settings › Profile › Notifications) as the projector applies them, on a clock the test moves.</summary>
public sealed class NotificationRulesTests : IAsyncLifetime
{
    private const string Thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0";

    // 09:00 UTC is 10:00 in Warsaw (CET).
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        // Loopback is the trusted proxy, so a test can play Apple's relay with X-Forwarded-For.
        _app.UseClock(_clock).Set("Notifications:QuietPeriodMinutes", "30").Set("ReverseProxy:KnownProxies:0", "127.0.0.1");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private NotificationRules Rules => _app.Service<NotificationRules>();

    private async Task HitAsync(string path, string userAgent = Thunderbird, string clientIp = "198.51.100.20")
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        using var response = await client.GetAsync(path);
        Assert.True((int)response.StatusCode is 200 or 302, $"{path} answered {response.StatusCode}");
        await _app.ProjectedAsync();
    }

    private async Task<List<Notification>> BellAsync(long messageId)
    {
        await using var db = await _app.DbAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.MessageId == messageId).OrderBy(n => n.Id).ToListAsync();
    }

    [Fact]
    public async Task TheFirstOpenRingsAReopenWithinTheHoursDoesNotAndOneAfterThemDoes()
    {
        var sender = await _app.CreateUserAsync("reopen@rules.test");
        Assert.Equal(BellPreferencesError.None, await Rules.SaveAsync(sender.Id, new BellPreferences(Reopens: true, ReopenAfterHours: 2)));
        var mail = await TestMail.SendAsync(_app, sender, subject: "Offer");

        _clock.Advance(TimeSpan.FromMinutes(5));
        await HitAsync($"/t/o/{mail.OpenToken}.gif");
        Assert.Single(await BellAsync(mail.MessageId));

        // An hour after the first open: within the two hours, recorded but silent on the bell.
        _clock.Advance(TimeSpan.FromHours(1));
        await HitAsync($"/t/o/{mail.OpenToken}.gif");
        Assert.Equal(1, Assert.Single(await BellAsync(mail.MessageId)).Count);

        // Two hours after the previous open: it rings again.
        _clock.Advance(TimeSpan.FromHours(2));
        await HitAsync($"/t/o/{mail.OpenToken}.gif");
        var bell = await BellAsync(mail.MessageId);
        Assert.Equal(2, bell.Count);
        Assert.Equal(new DateTime(2026, 11, 27, 12, 5, 0, DateTimeKind.Utc), bell[1].CreatedAt);
        await using var db = await _app.DbAsync();
        Assert.Equal(3, (await db.Messages.SingleAsync(m => m.Id == mail.MessageId)).OpenCount);
    }

    [Fact]
    public async Task WithFirstClickOnlyALaterClickDoesNotRing()
    {
        var firstOnly = await _app.CreateUserAsync("first-click@rules.test");
        var every = await _app.CreateUserAsync("every-click@rules.test");
        await Rules.SaveAsync(firstOnly.Id, new BellPreferences(FirstClickOnly: true));
        var quiet = await TestMail.SendAsync(_app, firstOnly, subject: "Once");
        var loud = await TestMail.SendAsync(_app, every, subject: "Always");

        foreach (var gap in new[] { 5, 45 })
        {
            _clock.Advance(TimeSpan.FromMinutes(gap));
            await HitAsync($"/t/c/{quiet.ClickTokens[0]}");
            await HitAsync($"/t/c/{loud.ClickTokens[0]}");
        }

        Assert.Equal(1, Assert.Single(await BellAsync(quiet.MessageId)).Count);
        Assert.Equal(2, (await BellAsync(loud.MessageId)).Count);
        await using var db = await _app.DbAsync();
        Assert.Equal(2, (await db.Messages.SingleAsync(m => m.Id == quiet.MessageId)).ClickCount);
    }

    [Fact]
    public async Task AReplyRingsWhileRepliesAreOnAndNotOnceSwitchedOff()
    {
        var sender = await _app.CreateUserAsync("replies@rules.test");
        var first = await TestMail.SendAsync(_app, sender, subject: "Question");
        var second = await TestMail.SendAsync(_app, sender, subject: "Another question");
        var intake = _app.Service<IntakeWriter>();

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await intake.AppendAsync(IntakeHit.Reply(first.MessageId, _clock.GetUtcNow().UtcDateTime, "bob@example.com")));
        await _app.ProjectedAsync();
        var reply = Assert.Single(await BellAsync(first.MessageId));
        Assert.Equal((BellCause.Reply, "bob@example.com", "Question"), (reply.Cause, reply.Actor, reply.Subject));

        await Rules.SaveAsync(sender.Id, new BellPreferences(Replies: false));
        Assert.True(await intake.AppendAsync(IntakeHit.Reply(second.MessageId, _clock.GetUtcNow().UtcDateTime, "bob@example.com")));
        await _app.ProjectedAsync();
        Assert.Empty(await BellAsync(second.MessageId));
        await using var db = await _app.DbAsync();
        Assert.Equal(1, (await db.Messages.SingleAsync(m => m.Id == second.MessageId)).OpenCount); // the reply still marks it opened
    }

    [Fact]
    public async Task AnAppleMppFetchRingsOnlyForASenderWhoAskedForIt()
    {
        var wants = await _app.CreateUserAsync("mpp-on@rules.test");
        var not = await _app.CreateUserAsync("mpp-off@rules.test");
        await Rules.SaveAsync(wants.Id, new BellPreferences(ApplePrivacyOpens: true));
        var toWants = await TestMail.SendAsync(_app, wants, subject: "Fetched");
        var toNot = await TestMail.SendAsync(_app, not, subject: "Fetched too");

        _clock.Advance(TimeSpan.FromMinutes(3));
        await HitAsync($"/t/o/{toWants.OpenToken}.gif", "Mozilla/5.0", "104.28.28.10");
        await HitAsync($"/t/o/{toNot.OpenToken}.gif", "Mozilla/5.0", "104.28.28.10");
        // Apple fetches again: still one entry, and it is not a read.
        await HitAsync($"/t/o/{toWants.OpenToken}.gif", "Mozilla/5.0", "104.28.28.11");

        var entry = Assert.Single(await BellAsync(toWants.MessageId));
        Assert.Equal((BellCause.ApplePrivacy, 1), (entry.Cause, entry.Count));
        Assert.Empty(await BellAsync(toNot.MessageId));

        // The person then opens it for real: that is the first open, and it rings as one.
        _clock.Advance(TimeSpan.FromMinutes(40));
        await HitAsync($"/t/o/{toWants.OpenToken}.gif");
        Assert.Equal([BellCause.ApplePrivacy, BellCause.Counted], (await BellAsync(toWants.MessageId)).Select(n => n.Cause));
    }

    [Fact]
    public async Task InQuietHoursOfTheUsersTimeZoneEntriesCollectSilentlyAndAfterThemTheyAreAnnounced()
    {
        var sender = await _app.CreateUserAsync("quiet-hours@rules.test", name: "Quinn");
        Assert.Equal(ProfileError.None, await _app.Service<UserProfiles>().SaveAsync(sender.Id, new ProfileUpdate("Quinn", "Europe/Warsaw")));
        // 09:30–11:00 in Warsaw is 08:30–10:00 UTC: 09:05 UTC is quiet there (it would not be in UTC).
        await Rules.SaveAsync(sender.Id, new BellPreferences(QuietHours: true, QuietFrom: new TimeOnly(9, 30), QuietUntil: new TimeOnly(11, 0)));
        var early = await TestMail.SendAsync(_app, sender, subject: "Early");
        var late = await TestMail.SendAsync(_app, sender, subject: "Late");
        var (_, cookies) = await TestMail.SignInAsync(_app, "quiet-hours@rules.test");
        await using var hub = await HubClient.ConnectAsync(_app.BaseUrl, cookies);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await HitAsync($"/t/o/{early.OpenToken}.gif");

        var center = _app.Service<NotificationCenter>();
        Assert.Equal(1, await center.UnreadCountAsync(sender.Id));
        var silent = await Eventually.ReturnsAsync(() => Task.FromResult(hub.Received.TryPeek(out var e) ? e : null), "the push that recounts the badge");
        Assert.Equal((early.MessageId, (long?)null), (silent.MessageId, silent.NotificationId));

        _clock.Advance(TimeSpan.FromHours(1)); // 11:05 in Warsaw
        await HitAsync($"/t/o/{late.OpenToken}.gif");

        Assert.Equal(2, await center.UnreadCountAsync(sender.Id));
        await Eventually.TrueAsync(() => Task.FromResult(hub.Received.Count == 2), "the push announcing the entry");
        var announced = hub.Received.Last();
        Assert.Equal(late.MessageId, announced.MessageId);
        Assert.Equal(Assert.Single(await BellAsync(late.MessageId)).Id, announced.NotificationId);
    }
}
