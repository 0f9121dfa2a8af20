using MailTracker.Core.Tracking;

namespace MailTracker.Core.Notifications;

/// <summary>A bell entry for the sender of a tracked message: someone opened it or clicked a link.</summary>
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
}
