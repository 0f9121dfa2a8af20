using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Core.Tracking;

/// <summary>One projected hit on a tracking URL, or a reply as evidence of an open, with its verdict. Written by <c>TrackingProjector</c> only.</summary>
public class TrackingEvent
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    public TrackingKind Kind { get; set; }

    public long? TrackedLinkId { get; set; }

    public DateTime OccurredAt { get; set; }

    /// <summary>Who caused it, as the verdict engine judged it (with the message's other hits in view).</summary>
    public Verdict Verdict { get; set; }

    /// <summary>Why, in a few words (English, as the engine says it), for the message's timeline.</summary>
    public string? Reason { get; set; }

    public ClientClass ClientClass { get; set; }

    /// <summary>
    /// False while later hits of the message could still change the verdict (the settle window). Only a settled event
    /// counts towards the summary and the bell.
    /// </summary>
    public bool Settled { get; set; } = true;

    /// <summary>A HEAD request: evidence, never counted.</summary>
    public bool Head { get; set; }

    /// <summary>True when the event counted towards the message's open or click summary (settled and counted).</summary>
    public bool Counted { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Client address, truncated according to <c>Tracking:IpAnonymization</c>.</summary>
    public string? IpAddress { get; set; }

    public string? Recipient { get; set; }
}
