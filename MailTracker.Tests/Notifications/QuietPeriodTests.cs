using MailTracker.Core.Tracking;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Notifications;

public sealed class QuietPeriodTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        _app.UseClock(_clock).Set("Notifications:QuietPeriodMinutes", "30");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task OpenAsync(SentMail mail)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        await _app.ProjectedAsync();
    }

    [Fact]
    public async Task AReopenWithinTheQuietPeriodUpdatesTheEntryAndALaterOneAddsANewEntry()
    {
        var sender = await _app.CreateUserAsync("quiet@example.com");
        var mail = await TestMail.SendAsync(_app, sender, subject: "Proposal");

        _clock.Advance(TimeSpan.FromMinutes(5));
        await OpenAsync(mail);
        _clock.Advance(TimeSpan.FromMinutes(20));
        await OpenAsync(mail);

        await using (var db = await _app.DbAsync())
        {
            var entry = await db.Notifications.SingleAsync(n => n.MessageId == mail.MessageId);
            Assert.Equal(2, entry.Count);
            Assert.Equal(TrackingKind.Open, entry.Kind);
            Assert.Equal(new DateTime(2026, 11, 27, 9, 5, 0, DateTimeKind.Utc), entry.CreatedAt);
            Assert.Equal(new DateTime(2026, 11, 27, 9, 25, 0, DateTimeKind.Utc), entry.UpdatedAt);
        }

        _clock.Advance(TimeSpan.FromMinutes(31));
        await OpenAsync(mail);

        await using (var db = await _app.DbAsync())
        {
            var entries = await db.Notifications.Where(n => n.MessageId == mail.MessageId).OrderBy(n => n.Id).ToListAsync();
            Assert.Equal(2, entries.Count);
            Assert.Equal(1, entries[1].Count);
            Assert.Equal(new DateTime(2026, 11, 27, 9, 56, 0, DateTimeKind.Utc), entries[1].CreatedAt);
            Assert.Equal(3, (await db.Messages.SingleAsync(m => m.Id == mail.MessageId)).OpenCount);
        }
    }

    [Fact]
    public async Task ABellEntryReadEarlierBecomesUnreadWhenTheMessageIsOpenedAgain()
    {
        var sender = await _app.CreateUserAsync("reread@example.com");
        var mail = await TestMail.SendAsync(_app, sender, subject: "Follow-up");
        _clock.Advance(TimeSpan.FromMinutes(5));
        await OpenAsync(mail);
        await using (var db = await _app.DbAsync())
        {
            await db.Notifications.Where(n => n.MessageId == mail.MessageId).ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRead, true));
        }

        _clock.Advance(TimeSpan.FromMinutes(2));
        await OpenAsync(mail);

        await using var check = await _app.DbAsync();
        var entry = await check.Notifications.SingleAsync(n => n.MessageId == mail.MessageId);
        Assert.False(entry.IsRead);
        Assert.Equal(2, entry.Count);
    }
}
