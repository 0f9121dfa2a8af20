namespace MailTracker.Core.Tracking;

/// <summary>Limits of what a tracking hit keeps.</summary>
public static class TrackingHit
{
    /// <summary>The longest user agent an intake entry or event keeps (the column's length); the rest is cut off.</summary>
    public const int MaxStoredUserAgent = 512;
}

/// <summary>What a token points at, as looked up once and then cached (tokens never change).</summary>
public sealed record TokenTarget(
    string Token,
    TrackingKind Kind,
    long MessageId,
    string OwnerId,
    long? LinkId,
    string? Url,
    string? Recipient,
    DateTime? SentAt,
    string Subject,
    string Actor,
    int? LinkOrdinal = null,
    bool LinkHidden = false);
