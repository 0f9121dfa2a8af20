namespace MailTracker.Core.Tracking;

public enum TrackingKind
{
    Open = 0,
    Click = 1,
}

/// <summary>
/// An unguessable token in a tracking URL. One table for both kinds, keyed by the token, so a hit is one
/// index lookup. <see cref="Recipient"/> is null for the one-per-message token; per-recipient tracking
/// adds one token per recipient address.
/// </summary>
public class TrackingToken
{
    public required string Token { get; set; }

    public TrackingKind Kind { get; set; }

    public long MessageId { get; set; }

    /// <summary>The link for a click token; null for an open token.</summary>
    public long? TrackedLinkId { get; set; }

    public TrackedLink? TrackedLink { get; set; }

    /// <summary>The recipient address this token was sent to, when tracked per recipient.</summary>
    public string? Recipient { get; set; }
}
