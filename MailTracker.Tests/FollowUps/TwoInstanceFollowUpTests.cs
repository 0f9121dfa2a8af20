using MailTracker.Core.FollowUps;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.FollowUps;

/// <summary>Two app instances on one database, their workers and passes racing over the same due reminders.</summary>
public sealed class TwoInstanceFollowUpTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _first = new();
    private readonly MailTrackerApp _second = new();

    public Task InitializeAsync()
    {
        _first.UseClock(_clock);
        _second.UseClock(_clock).Set("Database:ConnectionString", $"Data Source={_first.DatabasePath}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task EachDueReminderRingsOnceWhateverTheNumberOfInstancesAndPasses()
    {
        const int reminders = 12;
        var user = await _first.CreateUserAsync("twice@example.com");
        var outbox = _first.Service<OutboxService>();
        var ids = new List<long>();
        for (var i = 0; i < reminders; i++)
        {
            var result = await outbox.QueueAsync(user.Id, new ComposeRequest
            {
                To = "bob@example.com", Subject = $"Offer {i}", HtmlBody = "<p>Hi</p>", Reminder = new ReminderRequest(ReminderCondition.NoReply, AfterDays: 1),
            });
            ids.Add(result.MessageId!.Value);
        }

        await Eventually.TrueAsync(async () =>
        {
            await using var db = await _first.DbAsync();
            return await db.Messages.CountAsync(m => ids.Contains(m.Id) && m.Status == MessageStatus.Sent) == reminders;
        }, "the messages to be sent");
        _second.Start();

        // Both instances' workers wake on the clock; two more passes on each run beside them.
        _clock.Advance(TimeSpan.FromDays(1));
        await Task.WhenAll(
            _first.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None),
            _second.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None),
            _first.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None),
            _second.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None));

        await using var check = await _first.DbAsync();
        var entries = await check.Notifications.AsNoTracking().Where(n => n.FollowUp != null).ToListAsync();
        Assert.Equal(reminders, entries.Count);
        Assert.Equal(reminders, entries.Select(n => n.MessageId).Distinct().Count());
        Assert.Equal(reminders, await check.FollowUpReminders.CountAsync(r => r.FiredAt != null));
    }
}
