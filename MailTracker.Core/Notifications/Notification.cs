using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;

namespace MailTracker.Core.Notifications;

/// <summary>A bell entry for the sender of a tracked message: someone opened it or clicked a link, or a follow-up reminder fell due.</summary>
public class Notification
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long MessageId { get; set; }

    public TrackingKind Kind { get; set; }

    /// <summary>Who we show as the actor: the contact's name, or the recipient address.</summary>
    public string Actor { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The clicked URL, for a click.</summary>
    public string? Url { get; set; }

    /// <summary>How many hits this entry stands for (repeat opens within the quiet period update it).</summary>
    public int Count { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public bool IsRead { get; set; }

    /// <summary>Set for a follow-up reminder's entry ("Follow up: … was not opened"): not a hit, never bumped by one.</summary>
    public ReminderCondition? FollowUp { get; set; }

    /// <summary>What rang: a counted open or click (<see cref="Kind"/> says which), a reply, or an Apple MPP fetch.</summary>
    public BellCause Cause { get; set; }

    /// <summary>A new, unread entry for one hit.</summary>
    public static Notification Create(string userId, long messageId, TrackingKind kind, string actor, string subject, string? url, DateTime at, BellCause cause = BellCause.Counted) => new()
    {
        Cause = cause,
        UserId = userId,
        MessageId = messageId,
        Kind = kind,
        Actor = actor,
        Subject = subject,
        Url = url,
        Count = 1,
        CreatedAt = at,
        UpdatedAt = at,
    };

    /// <summary>A follow-up reminder fell due and its condition still holds.</summary>
    public static Notification FollowUpDue(string userId, long messageId, ReminderCondition condition, string subject, DateTime at) => new()
    {
        UserId = userId,
        MessageId = messageId,
        Kind = condition == ReminderCondition.NotClicked ? TrackingKind.Click : TrackingKind.Open,
        Subject = subject,
        FollowUp = condition,
        CreatedAt = at,
        UpdatedAt = at,
    };

    /// <summary>One more hit within the quiet period: counted here, newest time, unread again.</summary>
    public void Bump(DateTime at)
    {
        Count++;
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }

        IsRead = false;
    }
}

/// <summary>Why a bell entry rang.</summary>
public enum BellCause
{
    /// <summary>A counted open or click.</summary>
    Counted = 0,

    /// <summary>A reply arrived (found by sync); the entry's kind is Open, since a reply proves the message was read.</summary>
    Reply = 1,

    /// <summary>Apple Mail Privacy Protection fetched the pixel of a message not yet opened: it may not have been read.</summary>
    ApplePrivacy = 2,
}
