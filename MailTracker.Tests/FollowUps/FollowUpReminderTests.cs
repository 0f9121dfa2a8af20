using MailTracker.Core.FollowUps;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.FollowUps;

/// <summary>Follow-up reminders against the real app and SQLite file, with a fake clock for the due times.</summary>
public sealed class FollowUpReminderTests : IAsyncLifetime
{
    // Saturday 24 Oct 2026, 10:00 in Warsaw (CEST, UTC+2); the clocks go back on Sunday 25 Oct.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        _app.UseClock(_clock);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<string> CreateUserInAsync(string email, string timeZoneId)
    {
        var user = await _app.CreateUserAsync(email);
        await using var db = await _app.DbAsync();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, timeZoneId));
        return user.Id;
    }

    private async Task<long> SendWithReminderAsync(string userId, string subject, ReminderRequest reminder, bool openTracking = true)
    {
        var result = await _app.Service<OutboxService>().QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = subject, HtmlBody = "<p>Hi Bob</p>", OpenTracking = openTracking, Reminder = reminder,
        });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        var id = result.MessageId!.Value;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            return await db.Messages.AnyAsync(m => m.Id == id && m.Status == MessageStatus.Sent);
        }, "the message to be sent");
        return id;
    }

    private async Task<List<MailTracker.Core.Notifications.Notification>> BellAsync(long messageId)
    {
        await using var db = await _app.DbAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.MessageId == messageId).ToListAsync();
    }

    private async Task<IReadOnlyList<MessageListItem>> FollowUpFolderAsync(string userId) =>
        (await _app.Service<MailboxQueries>().ListAsync(userId, new MailListQuery { FollowUp = true })).Items;

    [Fact]
    public async Task AReminderFallsDueAtTheSameLocalTimeDaysLaterInTheSendersZoneEvenAcrossAClockChange()
    {
        var userId = await CreateUserInAsync("warsaw@example.com", "Europe/Warsaw");
        var id = await SendWithReminderAsync(userId, "Offer", new ReminderRequest(ReminderCondition.NotOpened, AfterDays: 2));

        // Monday 26 Oct, 10:00 in Warsaw is 09:00 UTC now that winter time (UTC+1) has begun.
        var reminder = await _app.Service<FollowUpReminders>().GetAsync(userId, id);
        Assert.Equal(new DateTime(2026, 10, 26, 9, 0, 0, DateTimeKind.Utc), reminder!.DueAt);
        Assert.Equal(ReminderState.Pending, reminder.State);

        _clock.SetUtcNow(new DateTimeOffset(2026, 10, 26, 8, 59, 0, TimeSpan.Zero));
        await _app.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None);
        Assert.Empty(await BellAsync(id));
        Assert.Empty(await FollowUpFolderAsync(userId));

        _clock.SetUtcNow(new DateTimeOffset(2026, 10, 26, 9, 0, 0, TimeSpan.Zero));
        await _app.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None);

        var entry = Assert.Single(await BellAsync(id));
        Assert.Equal(ReminderCondition.NotOpened, entry.FollowUp);
        Assert.Equal("Offer", entry.Subject);
        Assert.Equal(id, Assert.Single(await FollowUpFolderAsync(userId)).Id);
        Assert.Equal(1, (await _app.Service<MailboxQueries>().CountsAsync(userId)).FollowUp);
        Assert.Equal(ReminderState.Due, (await _app.Service<FollowUpReminders>().GetAsync(userId, id))!.State);
    }

    [Fact]
    public async Task AReminderWhoseMessageWasOpenedInTimeNeverRings()
    {
        var userId = await CreateUserInAsync("opened@example.com", "Europe/Warsaw");
        var id = await SendWithReminderAsync(userId, "Opened in time", new ReminderRequest(ReminderCondition.NotOpened, AfterDays: 1));
        string token;
        await using (var db = await _app.DbAsync())
        {
            token = await db.TrackingTokens.Where(t => t.MessageId == id).Select(t => t.Token).SingleAsync();
        }

        _clock.Advance(TimeSpan.FromHours(2));
        using (var client = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) })
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            (await client.GetAsync($"/t/o/{token}.gif")).EnsureSuccessStatusCode();
        }

        await _app.ProjectedAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        await _app.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None);

        Assert.DoesNotContain(await BellAsync(id), n => n.FollowUp is not null);
        Assert.Empty(await FollowUpFolderAsync(userId));
        Assert.Equal(ReminderState.ConditionMet, (await _app.Service<FollowUpReminders>().GetAsync(userId, id))!.State);
    }

    [Fact]
    public async Task DoneTakesItOutOfTheFolderAndSnoozeBringsItBackOnceLaterOnlyForItsSender()
    {
        var userId = await CreateUserInAsync("snooze@example.com", "UTC");
        var other = await CreateUserInAsync("someone-else@example.com", "UTC");
        var id = await SendWithReminderAsync(userId, "Snoozed", new ReminderRequest(ReminderCondition.Anyway, AfterDays: 1), openTracking: false);
        _clock.Advance(TimeSpan.FromDays(1));
        var processor = _app.Service<FollowUpProcessor>();
        await processor.FireDueAsync(CancellationToken.None);
        var reminders = _app.Service<FollowUpReminders>();
        Assert.Single(await FollowUpFolderAsync(userId));

        Assert.False(await reminders.SnoozeAsync(other, id, _clock.GetUtcNow().UtcDateTime.AddDays(1)));
        Assert.False(await reminders.DoneAsync(other, id));
        Assert.Null(await reminders.GetAsync(other, id));

        var localTomorrow = _clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(9);
        Assert.True(await reminders.SnoozeAsync(userId, id, localTomorrow));
        Assert.Empty(await FollowUpFolderAsync(userId));

        _clock.SetUtcNow(new DateTimeOffset(localTomorrow, TimeSpan.Zero));
        await processor.FireDueAsync(CancellationToken.None);
        Assert.Single(await FollowUpFolderAsync(userId));
        Assert.Equal(2, (await BellAsync(id)).Count(n => n.FollowUp == ReminderCondition.Anyway));

        Assert.True(await reminders.DoneAsync(userId, id));
        Assert.Empty(await FollowUpFolderAsync(userId));
        Assert.Equal(ReminderState.Done, (await reminders.GetAsync(userId, id))!.State);
    }

    [Fact]
    public async Task ACancelledReminderNeverRings()
    {
        var userId = await CreateUserInAsync("cancel@example.com", "UTC");
        var id = await SendWithReminderAsync(userId, "Cancelled", new ReminderRequest(ReminderCondition.NoReply, AfterDays: 1));

        Assert.True(await _app.Service<FollowUpReminders>().CancelAsync(userId, id));
        _clock.Advance(TimeSpan.FromDays(2));
        await _app.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None);

        Assert.Empty(await BellAsync(id));
        Assert.Equal(ReminderState.Cancelled, (await _app.Service<FollowUpReminders>().GetAsync(userId, id))!.State);
    }

    [Fact]
    public async Task AReminderThatWaitsForOpensOrClicksNeedsThatTrackingAndADueTimeAfterTheSend()
    {
        var userId = await CreateUserInAsync("needs@example.com", "UTC");
        var outbox = _app.Service<OutboxService>();

        var untracked = await outbox.QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = "x", HtmlBody = "<p>x</p>", OpenTracking = false, Reminder = new ReminderRequest(ReminderCondition.NotOpened, AfterDays: 1),
        });
        var past = await outbox.QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = "x", HtmlBody = "<p>x</p>", Reminder = new ReminderRequest(ReminderCondition.NoReply, OnDate: new DateOnly(2026, 10, 1)),
        });

        Assert.Contains(untracked.Errors, e => e is { Field: ComposeField.Reminder, Kind: ComposeErrorKind.NeedsTracking });
        Assert.Contains(past.Errors, e => e is { Field: ComposeField.Reminder, Kind: ComposeErrorKind.NotInFuture });
        await using var db = await _app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == userId));
    }
}
