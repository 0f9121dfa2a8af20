namespace MailTracker.Core.Tracking;

/// <summary>A link in a sent message's HTML that was rewritten to the click endpoint. The original URL is kept here, and only here.</summary>
public class TrackedLink
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    /// <summary>Position of the link in the body, from 0.</summary>
    public int Ordinal { get; set; }

    public required string Url { get; set; }

    public int ClickCount { get; set; }

    public DateTime? FirstClickedAt { get; set; }

    public DateTime? LastClickedAt { get; set; }
}
