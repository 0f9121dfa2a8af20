using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Privacy;

public sealed class RawDataPurgeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        _app.UseClock(_clock).Set("Tracking:RawDataDays", "30");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<long> SeedAsync(int old, DateTime recentAt)
    {
        var sender = await _app.CreateUserAsync("purge@example.com");
        var mail = await TestMail.SendAsync(_app, sender, subject: "Old offer");
        await using var db = await _app.DbAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < old; i++)
        {
            db.TrackingEvents.Add(new TrackingEvent
            {
                MessageId = mail.MessageId, Kind = TrackingKind.Open, Verdict = i % 2 == 0 ? Verdict.Human : Verdict.PrivacyProxy, Counted = i % 2 == 0,
                OccurredAt = now.AddDays(-31).AddSeconds(i), UserAgent = "Mozilla/5.0 Thunderbird/128.0", IpAddress = "203.0.113.0",
            });
        }

        var recent = new TrackingEvent
        {
            MessageId = mail.MessageId, Kind = TrackingKind.Click, Verdict = Verdict.Human, Counted = true,
            OccurredAt = recentAt, UserAgent = "Mozilla/5.0 Firefox/133.0", IpAddress = "198.51.100.0",
        };
        db.TrackingEvents.Add(recent);
        await db.SaveChangesAsync();
        return recent.Id;
    }

    private async Task<int> WithRawDataAsync()
    {
        await using var db = await _app.DbAsync();
        return await db.TrackingEvents.CountAsync(e => e.IpAddress != null || e.UserAgent != null);
    }

    [Fact]
    public async Task ABatchClearsAtMostItsSize()
    {
        await SeedAsync(old: 1200, recentAt: _clock.GetUtcNow().UtcDateTime);

        var cleared = await _app.Service<MailTracker.Core.Privacy.RawTrackingData>().PurgeBatchAsync();

        Assert.Equal(1000, cleared);
        Assert.Equal(201, await WithRawDataAsync());
    }

    [Fact]
    public async Task RawAddressAndUserAgentGoAfterRawDataDaysInBatchesAndTheVerdictStays()
    {
        var recentId = await SeedAsync(old: 2500, recentAt: _clock.GetUtcNow().UtcDateTime.AddDays(-29.5));
        Assert.Equal(2501, await WithRawDataAsync());

        _clock.Advance(TimeSpan.FromHours(1));

        await Eventually.TrueAsync(async () => await WithRawDataAsync() == 1, "the old events' raw data to be deleted");
        await using (var db = await _app.DbAsync())
        {
            var events = await db.TrackingEvents.AsNoTracking().ToListAsync();
            Assert.Equal(2501, events.Count);
            Assert.Equal(1250, events.Count(e => e.Verdict == Verdict.PrivacyProxy && !e.Counted));
            var recent = events.Single(e => e.Id == recentId);
            Assert.Equal(("Mozilla/5.0 Firefox/133.0", "198.51.100.0"), (recent.UserAgent, recent.IpAddress));
        }

        // A day later the recent hit is past its 30 days too; its kind, verdict and time stay.
        _clock.Advance(TimeSpan.FromDays(1));

        await Eventually.TrueAsync(async () => await WithRawDataAsync() == 0, "the recent event's raw data to be deleted");
        await using var check = await _app.DbAsync();
        var purged = await check.TrackingEvents.AsNoTracking().SingleAsync(e => e.Id == recentId);
        Assert.Equal((TrackingKind.Click, Verdict.Human, true), (purged.Kind, purged.Verdict, purged.Counted));
    }
}
