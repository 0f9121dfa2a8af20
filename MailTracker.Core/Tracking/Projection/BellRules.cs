using MailTracker.Core.Notifications;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// When a counted hit rings the sender's bell: only for the kinds the sender asked for, and a repeat of the same
/// message, kind, link and actor (one recipient's copy, when tracked per recipient) within <c>Notifications:QuietPeriodMinutes</c> bumps the newest entry (count, time,
/// unread again) instead of adding another.
/// </summary>
public sealed class BellRules(TimeSpan quietPeriod)
{
    /// <summary>
    /// Applies a counted hit to the bell entries of its message (<paramref name="entries"/>: the message's recent ones,
    /// new ones are added to it). Returns the entry it created or bumped, or null when the sender does not want it.
    /// </summary>
    public Notification? Ring(List<Notification> entries, TokenTarget target, DateTime at, bool wanted)
    {
        if (!wanted)
        {
            return null;
        }

        var since = at - quietPeriod;
        var newest = entries
            .Where(n => n.UserId == target.OwnerId && n.MessageId == target.MessageId && n.Kind == target.Kind && n.Url == target.Url && n.Actor == target.Actor && n.UpdatedAt >= since)
            .MaxBy(n => n.UpdatedAt);
        if (newest is not null)
        {
            newest.Bump(at);
            return newest;
        }

        var created = Notification.Create(target.OwnerId, target.MessageId, target.Kind, target.Actor, target.Subject, target.Url, at);
        entries.Add(created);
        return created;
    }
}
