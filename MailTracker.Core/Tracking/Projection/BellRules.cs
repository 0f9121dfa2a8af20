using MailTracker.Core.Notifications;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// When a hit rings the sender's bell: only what the sender's rules (<see cref="BellPreferences"/>) ask for — a first
/// open, a reopen after N hours, every click or only the first, replies, Apple MPP fetches — and never an automated hit
/// (only counted hits, replies and, by choice, MPP fetches come here). A repeat of the same message, kind, link and actor (one recipient's copy, when tracked per recipient) within
/// <c>Notifications:QuietPeriodMinutes</c> bumps the newest entry (count, time, unread again) instead of adding another.
/// </summary>
public sealed class BellRules(TimeSpan quietPeriod)
{
    /// <summary>
    /// Whether the sender's rules let this hit ring, given the message's summary <paramref name="before"/> it was counted.
    /// </summary>
    public static bool Wants(BellPreferences rules, TrackingKind kind, BellCause cause, TrackingSummary before, DateTime at) => cause switch
    {
        BellCause.Reply => rules.Replies,
        // A fetch by Apple's proxy says little: only the first, and only while no real open has been seen.
        BellCause.ApplePrivacy => rules.ApplePrivacyOpens && before.OpenCount == 0 && before.PrivacyOpenCount == 0,
        _ when kind == TrackingKind.Click => rules.Clicks && (!rules.FirstClickOnly || before.ClickCount == 0),
        // An open inferred from a click or reply was no open seen: the first pixel fetch is the first open.
        _ when before.OpenCount == 0 || before.OpenInferred => rules.FirstOpen,
        _ => rules.FirstOpen && rules.Reopens
            && (rules.ReopenAfterHours == 0 || before.LastOpenedAt is not { } last || at - last >= TimeSpan.FromHours(rules.ReopenAfterHours)),
    };

    /// <summary>
    /// Applies a hit to the bell entries of its message (<paramref name="entries"/>: the message's recent ones,
    /// new ones are added to it). Returns the entry it created or bumped, or null when the sender does not want it.
    /// </summary>
    public Notification? Ring(List<Notification> entries, TokenTarget target, DateTime at, bool wanted, BellCause cause = BellCause.Counted)
    {
        if (!wanted)
        {
            return null;
        }

        var since = at - quietPeriod;
        var newest = entries
            .Where(n => n.UserId == target.OwnerId && n.MessageId == target.MessageId && n.Kind == target.Kind && n.Cause == cause && n.Url == target.Url && n.Actor == target.Actor && n.UpdatedAt >= since)
            .MaxBy(n => n.UpdatedAt);
        if (newest is not null)
        {
            newest.Bump(at);
            return newest;
        }

        var created = Notification.Create(target.OwnerId, target.MessageId, target.Kind, target.Actor, target.Subject, target.Url, at, cause);
        entries.Add(created);
        return created;
    }
}
