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
    string Actor);

/// <summary>The answer to a hit: whether it was recorded, and for a click the URL to redirect to.</summary>
public sealed record HitOutcome(bool Recorded, TokenTarget? Target)
{
    public static readonly HitOutcome Unknown = new(false, null);
}

/// <summary>A hit committed to the database, published in-process after the commit.</summary>
public sealed record RecordedHit(
    long MessageId,
    string OwnerId,
    TrackingKind Kind,
    string? Url,
    HitSource Source,
    bool Counted,
    DateTime At,
    long? NotificationId);

/// <summary>Something that reacts to committed hits (live updates, the bell). Called after commit, off the request path.</summary>
public interface ITrackingHitListener
{
    Task OnHitsRecordedAsync(IReadOnlyList<RecordedHit> hits, CancellationToken cancellationToken);
}
