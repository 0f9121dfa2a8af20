namespace MailTracker.Core.Tracking;

/// <summary>A link in a sent message's HTML that was rewritten to the click endpoint. The original URL is kept here, and only here.</summary>
public class TrackedLink
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    /// <summary>Position of the link in the body, from 0.</summary>
    public int Ordinal { get; set; }

    public required string Url { get; set; }

    /// <summary>The honeypot: a link no person can see or follow; whatever follows it is a machine. Never shown.</summary>
    public bool Hidden { get; set; }

    public int ClickCount { get; set; }

    public DateTime? FirstClickedAt { get; set; }

    public DateTime? LastClickedAt { get; set; }
}
