namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// Wakes the projector when this process appended to the intake, so a hit does not wait for the next poll, and tells
/// it whether hits are still arriving (then it leaves the endpoints their share of the processor, see
/// <see cref="TrackingOptions.ProjectorShareUnderLoad"/>).
/// </summary>
public sealed class ProjectionSignal : WakeSignal
{
    private long _lastAppendedAt = long.MinValue / 2;

    /// <summary>The intake writer committed a group.</summary>
    public void Appended()
    {
        Volatile.Write(ref _lastAppendedAt, Environment.TickCount64);
        Notify();
    }

    /// <summary>Whether a group was committed within the last <paramref name="span"/>.</summary>
    public bool AppendedWithin(TimeSpan span) =>
        Environment.TickCount64 - Volatile.Read(ref _lastAppendedAt) < (long)span.TotalMilliseconds;
}
