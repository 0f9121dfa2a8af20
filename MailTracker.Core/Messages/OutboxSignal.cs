namespace MailTracker.Core.Messages;

/// <summary>Wakes the outbox worker when mail is queued, so sending does not wait for the next poll.</summary>
public sealed class OutboxSignal : WakeSignal;
