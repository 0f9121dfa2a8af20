namespace MailTracker.Core.Messages;

/// <summary>Wakes the follow-up worker when a reminder is stored or snoozed, so it looks at the new due time.</summary>
public sealed class FollowUpSignal : WakeSignal;
