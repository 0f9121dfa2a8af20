using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.FollowUps;

/// <summary>Where a reminder stands, as the message page and the Follow up folder show it.</summary>
public enum ReminderState
{
    /// <summary>Waiting for its due time.</summary>
    Pending,

    /// <summary>Due, and the recipient still has not done what it waited for: in the Follow up folder.</summary>
    Due,

    /// <summary>The recipient opened, clicked or replied (as its condition says): it will not ring.</summary>
    ConditionMet,

    Done,

    Cancelled,
}

/// <summary>A message's reminder, seen now.</summary>
public sealed record ReminderView(long MessageId, ReminderCondition Condition, DateTime DueAt, DateTime? FiredAt, ReminderState State);

/// <summary>
/// A user's follow-up reminders: what one says, and Done, Snooze, Cancel. Scoped to the owner (another user's reminder
/// is "not found"). Whether its condition still holds is read from counted facts each time — the summary's counted
/// opens and clicks (an inferred open counts; an Apple privacy fetch does not), a reply synced over IMAP — so a reply
/// clears a reminder from the Follow up folder as soon as it is synced.
/// </summary>
public sealed class FollowUpReminders(IDbContextFactory<MailTrackerDbContext> contextFactory, FollowUpSignal signal, IUserPush push, TimeProvider time)
{
    /// <summary>The reminder of one of the user's messages, or null when it has none (or the message is not theirs).</summary>
    public async Task<ReminderView?> GetAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var reminder = await db.FollowUpReminders.AsNoTracking().SingleOrDefaultAsync(r => r.MessageId == messageId && r.OwnerId == userId, cancellationToken);
        if (reminder is null)
        {
            return null;
        }

        var holds = await ReminderFacts.StillHolding(db).AnyAsync(r => r.Id == reminder.Id, cancellationToken);
        var state = reminder.ClearReason switch
        {
            ReminderClearReason.Done => ReminderState.Done,
            ReminderClearReason.Cancelled => ReminderState.Cancelled,
            ReminderClearReason.ConditionMet => ReminderState.ConditionMet,
            _ when !holds => ReminderState.ConditionMet,
            _ when reminder.FiredAt is not null => ReminderState.Due,
            _ => ReminderState.Pending,
        };
        return new ReminderView(reminder.MessageId, reminder.Condition, reminder.DueAt, reminder.FiredAt, state);
    }

    /// <summary>Takes back a reminder not yet dealt with ("Cancel reminder").</summary>
    public Task<bool> CancelAsync(string userId, long messageId, CancellationToken cancellationToken = default) =>
        ClearAsync(userId, messageId, ReminderClearReason.Cancelled, cancellationToken);

    /// <summary>The sender followed up: it leaves the Follow up folder for good.</summary>
    public Task<bool> DoneAsync(string userId, long messageId, CancellationToken cancellationToken = default) =>
        ClearAsync(userId, messageId, ReminderClearReason.Done, cancellationToken);

    /// <summary>Due again at <paramref name="untilLocal"/> (the user's wall-clock time); it leaves the Follow up folder until then.</summary>
    public async Task<bool> SnoozeAsync(string userId, long messageId, DateTime untilLocal, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var zone = ZonedTime.Find(await db.Users.Where(u => u.Id == userId).Select(u => u.TimeZoneId).SingleAsync(cancellationToken));
        var until = ZonedTime.ToUtc(untilLocal, zone);
        if (until <= time.GetUtcNow().UtcDateTime)
        {
            return false;
        }

        var changed = await db.FollowUpReminders
            .Where(r => r.MessageId == messageId && r.OwnerId == userId && r.ClearedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, until).SetProperty(r => r.FiredAt, (DateTime?)null), cancellationToken);
        if (changed > 0)
        {
            signal.Notify();
            await push.PushAsync(userId, new UserPushEvent(UserPushKinds.Message, messageId, null), cancellationToken);
        }

        return changed > 0;
    }

    private async Task<bool> ClearAsync(string userId, long messageId, ReminderClearReason reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.FollowUpReminders
            .Where(r => r.MessageId == messageId && r.OwnerId == userId && r.ClearedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClearedAt, now).SetProperty(r => r.ClearReason, (ReminderClearReason?)reason), cancellationToken);
        if (changed > 0)
        {
            await push.PushAsync(userId, new UserPushEvent(UserPushKinds.Message, messageId, null), cancellationToken);
        }

        return changed > 0;
    }
}
