namespace MailTracker.Core.Tracking.Intake;

/// <summary>What kind of evidence an intake entry is.</summary>
public enum IntakeKind
{
    /// <summary>A request for the open pixel.</summary>
    Open = 0,

    /// <summary>A request for a tracked link.</summary>
    Click = 1,

    /// <summary>A reply to a tracked message arrived (found by IMAP sync): proof that it was opened.</summary>
    Reply = 2,
}

/// <summary>
/// One raw hit as the tracking endpoint (or IMAP sync) saw it, before any judgement: appended to the intake and
/// answered once its group is committed, then judged and projected later by the <c>TrackingProjector</c>.
/// </summary>
/// <param name="Kind">Open, click or reply.</param>
/// <param name="Token">The tracking token (open and click); null for a reply.</param>
/// <param name="MessageId">The sent message a reply answers; null for a hit (its token says which).</param>
/// <param name="Head">True for a HEAD request: kept as evidence, never counted.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="UserAgent">The User-Agent header as sent, cut to <see cref="TrackingHit.MaxStoredUserAgent"/>; null when absent.</param>
/// <param name="ClientIp">The real client address (forwarded headers from trusted proxies only), in full: the verdicts need it.</param>
/// <param name="SenderUserId">The signed-in user whose cookie came with the request, if any.</param>
/// <param name="Actor">For a reply: who replied (the From address).</param>
public sealed record IntakeHit(
    IntakeKind Kind,
    string? Token,
    long? MessageId,
    bool Head,
    DateTime At,
    string? UserAgent,
    string? ClientIp,
    string? SenderUserId,
    string? Actor)
{
    public static IntakeHit Reply(long messageId, DateTime at, string from) =>
        new(IntakeKind.Reply, null, messageId, false, at, null, null, null, StoredText.Cut(from, 320));
}

/// <summary>An intake entry with its position: entries are projected in position order, each exactly once.</summary>
public sealed record IntakeEntry(long Position, IntakeHit Hit);
