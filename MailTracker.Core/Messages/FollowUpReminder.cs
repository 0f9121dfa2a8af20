namespace MailTracker.Core.Messages;

/// <summary>When a follow-up reminder rings: only while the recipient has not done what it waits for (counted facts), or anyway.</summary>
public enum ReminderCondition
{
    NotOpened = 0,
    NotClicked = 1,
    NoReply = 2,
    Anyway = 3,
}

/// <summary>Why a reminder is over: the sender dealt with it, took it back, or the recipient did what it waited for.</summary>
public enum ReminderClearReason
{
    Done = 0,
    Cancelled = 1,
    ConditionMet = 2,
}

/// <summary>
/// "Remind me if not opened in 3 days": stored with its message when it is queued. It fires once, when due and its
/// condition still holds — the claim is a conditional update on <see cref="FiredAt"/>, so a restart or a second instance
/// never fires it twice (see docs/decisions/0018-follow-ups.md). Once fired it waits in the Follow up folder until
/// Done, a Snooze (due again later) or the condition stops holding.
/// </summary>
public class FollowUpReminder
{
    private FollowUpReminder()
    {
    }

    public long Id { get; private set; }

    public string OwnerId { get; private set; } = "";

    public long MessageId { get; private set; }

    public ReminderCondition Condition { get; private set; }

    /// <summary>When it falls due (UTC), worked out in the sender's time zone.</summary>
    public DateTime DueAt { get; private set; }

    public DateTime? FiredAt { get; private set; }

    public DateTime? ClearedAt { get; private set; }

    public ReminderClearReason? ClearReason { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static FollowUpReminder Create(string ownerId, long messageId, ReminderCondition condition, DateTime dueAt, DateTime now) => new()
    {
        OwnerId = ownerId,
        MessageId = messageId,
        Condition = condition,
        DueAt = dueAt,
        CreatedAt = now,
    };
}

/// <summary>Whether a reminder's condition still holds, from counted facts only; one rule for the worker, the folder and the message page.</summary>
public static class ReminderFacts
{
    /// <summary>
    /// The reminders whose condition still holds for their message: no counted open (an inferred open counts, an Apple
    /// privacy fetch does not), no counted click, no reply synced over IMAP (or its evidence) — or "anyway".
    /// </summary>
    public static IQueryable<FollowUpReminder> StillHolding(Data.MailTrackerDbContext db) =>
        db.FollowUpReminders.Where(r => db.Messages.Any(m => m.Id == r.MessageId && (
            r.Condition == ReminderCondition.Anyway
            || (r.Condition == ReminderCondition.NotOpened && m.OpenCount == 0)
            || (r.Condition == ReminderCondition.NotClicked && m.ClickCount == 0)
            || (r.Condition == ReminderCondition.NoReply
                && !db.Messages.Any(x => x.ReplyToMessageId == m.Id && x.Folder == MailFolder.Inbox)
                && !db.TrackingEvents.Any(e => e.MessageId == m.Id && e.Verdict == Tracking.Verdicts.Verdict.Reply)))));

    /// <summary>
    /// Whether a message got a reply: a synced inbox message whose <c>ReplyToMessageId</c> is it, or Reply evidence. The
    /// same rule as <see cref="StillHolding"/>'s "no reply", for the templates' reply rate.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Message, bool>> HasReply(Data.MailTrackerDbContext db) =>
        m => db.Messages.Any(x => x.ReplyToMessageId == m.Id && x.Folder == MailFolder.Inbox)
             || db.TrackingEvents.Any(e => e.MessageId == m.Id && e.Verdict == Tracking.Verdicts.Verdict.Reply);

    /// <summary>The ids of a user's messages in the Follow up folder: fired, not done, condition still holding.</summary>
    public static IQueryable<long> FollowUpMessageIds(Data.MailTrackerDbContext db, string userId) =>
        StillHolding(db).Where(r => r.OwnerId == userId && r.FiredAt != null && r.ClearedAt == null).Select(r => r.MessageId);
}

/// <summary>What the composer asks for: a condition and when — after a number of days, or on a date (in the morning).</summary>
public sealed record ReminderRequest(ReminderCondition Condition, int? AfterDays = null, DateOnly? OnDate = null);

/// <summary>Wall-clock times in a user's time zone, and back to UTC.</summary>
public static class ZonedTime
{
    /// <summary>The hour a reminder "on a date" or a "morning" preset falls due, local time.</summary>
    public static readonly TimeOnly Morning = new(9, 0);

    /// <summary>
    /// A local wall-clock time in <paramref name="zone"/> as UTC. A time skipped by a clock change (spring forward) is
    /// taken as the same time after the change; a repeated one (fall back) as its first occurrence.
    /// </summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            var after = zone.GetUtcOffset(local.AddHours(3));
            local = local + (after - before);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public static TimeZoneInfo Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// When a reminder asked for at <paramref name="fromUtc"/> (the send time) falls due: the same local clock time
    /// <c>AfterDays</c> days later (a clock change in between does not shift it), or the morning of <c>OnDate</c>.
    /// </summary>
    public static DateTime ReminderDue(ReminderRequest request, DateTime fromUtc, TimeZoneInfo zone)
    {
        if (request.OnDate is { } date)
        {
            return ToUtc(date.ToDateTime(Morning), zone);
        }

        var local = ToLocal(fromUtc, zone);
        return ToUtc(local.AddDays(request.AfterDays ?? 1), zone);
    }
}
