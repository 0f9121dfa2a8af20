namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// A message's tracking summary (counted opens and clicks, first and last of each) and the one rule that changes it.
/// Only the <see cref="TrackingProjector"/> writes these columns of <c>Message</c>, once per touched message a batch.
/// </summary>
public readonly record struct TrackingSummary(
    int OpenCount, DateTime? FirstOpenedAt, DateTime? LastOpenedAt,
    int ClickCount, DateTime? FirstClickedAt, DateTime? LastClickedAt)
{
    /// <summary>Adds one counted open at <paramref name="at"/>; hits may arrive out of order, so first and last are kept as min and max.</summary>
    public TrackingSummary RecordOpen(DateTime at) => this with
    {
        OpenCount = OpenCount + 1,
        FirstOpenedAt = Min(FirstOpenedAt, at),
        LastOpenedAt = Max(LastOpenedAt, at),
    };

    /// <summary>Adds one counted click at <paramref name="at"/>.</summary>
    public TrackingSummary RecordClick(DateTime at) => this with
    {
        ClickCount = ClickCount + 1,
        FirstClickedAt = Min(FirstClickedAt, at),
        LastClickedAt = Max(LastClickedAt, at),
    };

    public TrackingSummary Record(TrackingKind kind, DateTime at) => kind == TrackingKind.Open ? RecordOpen(at) : RecordClick(at);

    internal static DateTime Min(DateTime? current, DateTime at) => current is { } c && c <= at ? c : at;

    internal static DateTime Max(DateTime? current, DateTime at) => current is { } c && c >= at ? c : at;
}

/// <summary>A tracked link's click summary, by the same rule.</summary>
public readonly record struct LinkSummary(int ClickCount, DateTime? FirstClickedAt, DateTime? LastClickedAt)
{
    public LinkSummary RecordClick(DateTime at) => new(ClickCount + 1, TrackingSummary.Min(FirstClickedAt, at), TrackingSummary.Max(LastClickedAt, at));
}
