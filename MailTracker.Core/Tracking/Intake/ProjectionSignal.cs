namespace MailTracker.Core.Tracking.Intake;

/// <summary>Wakes the projector when this process appended to the intake, so a hit does not wait for the next poll.</summary>
public sealed class ProjectionSignal : WakeSignal;
