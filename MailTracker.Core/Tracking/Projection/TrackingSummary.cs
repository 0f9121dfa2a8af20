namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// A message's tracking summary and the one rule that changes it. Only the <see cref="TrackingProjector"/> writes
/// these columns of <c>Message</c>, once per touched message a batch, from settled, counted verdicts:
/// <list type="bullet">
/// <item>a counted open adds one (an inferred open it replaces);</item>
/// <item>a counted click adds one, and marks the message opened if no open was seen (images blocked, as Outlook does);</item>
/// <item>a reply marks it opened if no open was seen;</item>
/// <item>an Apple Mail Privacy Protection fetch is no read, but is kept apart to show "may not have been read".</item>
/// </list>
/// </summary>
public readonly record struct TrackingSummary(
    int OpenCount, DateTime? FirstOpenedAt, DateTime? LastOpenedAt,
    int ClickCount, DateTime? FirstClickedAt, DateTime? LastClickedAt,
    int PrivacyOpenCount = 0, bool OpenInferred = false)
{
    public TrackingSummary RecordOpen(DateTime at) => this with
    {
        OpenCount = OpenInferred ? 1 : OpenCount + 1,
        FirstOpenedAt = Min(FirstOpenedAt, at),
        LastOpenedAt = Max(LastOpenedAt, at),
        OpenInferred = false,
    };

    public TrackingSummary RecordClick(DateTime at) => InferOpen(at) with
    {
        ClickCount = ClickCount + 1,
        FirstClickedAt = Min(FirstClickedAt, at),
        LastClickedAt = Max(LastClickedAt, at),
    };

    public TrackingSummary Record(TrackingKind kind, DateTime at) => kind == TrackingKind.Open ? RecordOpen(at) : RecordClick(at);

    public TrackingSummary RecordReply(DateTime at) => InferOpen(at);

    public TrackingSummary RecordPrivacyFetch() => this with { PrivacyOpenCount = PrivacyOpenCount + 1 };

    /// <summary>True when the only sign of an open is Apple's proxy fetching the pixel: it may not have been read.</summary>
    public bool OnlyPrivacyProxyOpens => OpenCount == 0 && PrivacyOpenCount > 0;

    private TrackingSummary InferOpen(DateTime at) => OpenCount > 0
        ? this
        : this with { OpenCount = 1, FirstOpenedAt = at, LastOpenedAt = at, OpenInferred = true };

    internal static DateTime Min(DateTime? current, DateTime at) => current is { } c && c <= at ? c : at;

    internal static DateTime Max(DateTime? current, DateTime at) => current is { } c && c >= at ? c : at;
}

/// <summary>A tracked link's click summary, by the same rule.</summary>
public readonly record struct LinkSummary(int ClickCount, DateTime? FirstClickedAt, DateTime? LastClickedAt)
{
    public LinkSummary RecordClick(DateTime at) => new(ClickCount + 1, TrackingSummary.Min(FirstClickedAt, at), TrackingSummary.Max(LastClickedAt, at));
}
