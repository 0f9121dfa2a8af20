using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MailTracker.Core.FollowUps;

/// <summary>
/// One pass over due reminders: each whose message has gone out and whose condition still holds rings the sender's bell
/// ("Follow up: … was not opened") and enters the Follow up folder; one whose condition stopped holding is cleared
/// without a sound. Firing is a conditional update (<c>FiredAt IS NULL</c>) in the same transaction as the bell entry,
/// so of two instances, or a pass after a restart, only one fires it, and never without its entry.
/// </summary>
public sealed partial class FollowUpProcessor(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    IUserPush push,
    TimeProvider time,
    ILogger<FollowUpProcessor> logger)
{
    /// <summary>Fires what is due now. Returns the next due time of a reminder whose message has gone out, if any.</summary>
    public async Task<DateTime?> FireDueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            List<long> due;
            await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
            {
                due = await Pending(db)
                    .Where(r => r.DueAt <= now)
                    .OrderBy(r => r.DueAt)
                    .Select(r => r.Id)
                    .Take(50)
                    .ToListAsync(cancellationToken);
                if (due.Count == 0)
                {
                    return await Pending(db).MinAsync(r => (DateTime?)r.DueAt, cancellationToken);
                }
            }

            foreach (var id in due)
            {
                await FireOneAsync(id, now, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Reminders not yet fired nor cleared, of messages that have gone out (one waiting to be sent waits too).</summary>
    private static IQueryable<FollowUpReminder> Pending(MailTrackerDbContext db) =>
        db.FollowUpReminders.Where(r => r.FiredAt == null && r.ClearedAt == null
            && db.Messages.Any(m => m.Id == r.MessageId && m.Status == MessageStatus.Sent));

    private async Task FireOneAsync(long reminderId, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var unclaimed = db.FollowUpReminders.Where(r => r.Id == reminderId && r.FiredAt == null && r.ClearedAt == null && r.DueAt <= now);
        if (!await ReminderFacts.StillHolding(db).AnyAsync(r => r.Id == reminderId, cancellationToken))
        {
            // Opened, clicked or replied to in time: nothing to follow up.
            await unclaimed.ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ClearedAt, now)
                .SetProperty(r => r.ClearReason, (ReminderClearReason?)ReminderClearReason.ConditionMet), cancellationToken);
            return;
        }

        var reminder = await db.FollowUpReminders.AsNoTracking().Where(r => r.Id == reminderId)
            .Select(r => new { r.OwnerId, r.MessageId, r.Condition, Subject = db.Messages.Where(m => m.Id == r.MessageId).Select(m => m.Subject).Single() })
            .SingleAsync(cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await unclaimed.ExecuteUpdateAsync(s => s.SetProperty(r => r.FiredAt, now), cancellationToken);
        if (claimed == 0)
        {
            // Another instance (or an earlier pass) fired it, or the sender cancelled it meanwhile.
            return;
        }

        var entry = Notification.FollowUpDue(reminder.OwnerId, reminder.MessageId, reminder.Condition, reminder.Subject, now);
        db.Notifications.Add(entry);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        LogFired(reminder.MessageId, reminder.OwnerId, reminder.Condition);

        try
        {
            await push.PushAsync(reminder.OwnerId, new UserPushEvent(UserPushKinds.Message, reminder.MessageId, entry.Id), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The entry is stored; the bell shows it on its next load.
            LogPushFailed(ex, reminder.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow-up reminder of message {MessageId} of user {UserId} fired ({Condition})")]
    private partial void LogFired(long messageId, string userId, ReminderCondition condition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the owner's browsers about the follow-up of message {MessageId} failed")]
    private partial void LogPushFailed(Exception exception, long messageId);
}
