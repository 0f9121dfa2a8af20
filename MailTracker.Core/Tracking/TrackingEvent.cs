namespace MailTracker.Core.Tracking;

/// <summary>What we believe caused a hit. Only <see cref="Human"/> and <see cref="ImageProxy"/> count as opens or clicks.</summary>
public enum HitSource
{
    /// <summary>The recipient, as far as we can tell.</summary>
    Human = 0,

    /// <summary>A mail provider's image proxy fetching on the recipient's behalf when they open (Gmail, Yahoo).</summary>
    ImageProxy = 1,

    /// <summary>Images fetched ahead of any open (Apple Mail Privacy Protection, delivery-time prefetch).</summary>
    PrivacyPrefetch = 2,

    /// <summary>A security gateway or bot following links (or a HEAD probe).</summary>
    LinkScanner = 3,

    /// <summary>The sender themselves, signed in to MailTracker.</summary>
    Sender = 4,

    /// <summary>
    /// Not a hit: a reply to the message arrived (found by IMAP sync), which proves it was opened. Counted as an open;
    /// <see cref="TrackingEvent.Recipient"/> holds who replied.
    /// </summary>
    Reply = 5,
}

/// <summary>One projected hit on a tracking URL, or a reply as evidence of an open, with its verdict. Written by <c>TrackingProjector</c> only.</summary>
public class TrackingEvent
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    public TrackingKind Kind { get; set; }

    public long? TrackedLinkId { get; set; }

    public DateTime OccurredAt { get; set; }

    public HitSource Source { get; set; }

    /// <summary>True when the event counted towards the message's open or click summary.</summary>
    public bool Counted { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Client address, truncated according to <c>Tracking:IpAnonymization</c>.</summary>
    public string? IpAddress { get; set; }

    public string? Recipient { get; set; }
}
