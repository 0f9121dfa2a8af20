using System.Net;

namespace MailTracker.Core.Tracking;

/// <summary>What the tracking endpoint saw: a token, and the facts of the request.</summary>
public sealed record TrackingHit(
    string Token,
    TrackingKind Kind,
    DateTime At,
    string? UserAgent,
    IPAddress? ClientIp,
    string? SignedInUserId)
{
    /// <summary>The longest user agent an event keeps (the column's length); the rest is cut off.</summary>
    public const int MaxStoredUserAgent = 512;

    public string? StoredUserAgent => UserAgent is { Length: > MaxStoredUserAgent } agent ? agent[..MaxStoredUserAgent] : UserAgent;
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
