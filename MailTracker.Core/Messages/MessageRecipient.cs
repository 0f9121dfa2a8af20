namespace MailTracker.Core.Messages;

/// <summary>Where one recipient's own copy of a message tracked per recipient is: waiting, delivered or refused.</summary>
public enum DeliveryState
{
    /// <summary>Not yet accepted by the SMTP server (never tried, or tried and deferred).</summary>
    Pending = 0,

    /// <summary>The SMTP server accepted this recipient's copy.</summary>
    Sent = 1,

    /// <summary>Refused for good (or given up on); sent again only when the user retries the message.</summary>
    Failed = 2,
}

/// <summary>
/// One recipient (To, Cc or Bcc) of a message tracked per recipient: each gets a copy of their own, in an SMTP
/// transaction of their own, with their own tracking tokens, so a hit says who opened. Its delivery state is kept
/// here, so a partial failure is retried for the recipients it failed for only. Written by <c>OutboxService</c> when the
/// message is queued and by <c>OutboxProcessor</c> after each recipient's transaction.
/// </summary>
public class MessageRecipient
{
    private MessageRecipient()
    {
    }

    internal MessageRecipient(long messageId, string address, string displayName, RecipientRole role)
    {
        MessageId = messageId;
        Address = address;
        DisplayName = displayName;
        Role = role;
    }

    public long Id { get; private set; }

    public long MessageId { get; private set; }

    /// <summary>Lower-cased, as the tokens' <c>Recipient</c> and the contacts store it.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The name given in the address field, if any.</summary>
    public string DisplayName { get; private set; } = "";

    public RecipientRole Role { get; private set; }

    public DeliveryState State { get; private set; }

    /// <summary>The server's reason for the last refusal or deferral, in its words.</summary>
    public string? LastError { get; private set; }

    public DateTime? SentAt { get; private set; }

    public void MarkSent(DateTime now)
    {
        State = DeliveryState.Sent;
        SentAt = now;
        LastError = null;
    }

    public void MarkDeferred(string reason) => LastError = reason;

    public void MarkFailed(string reason)
    {
        State = DeliveryState.Failed;
        LastError = reason;
    }

    /// <summary>The user retries the message: a refused recipient is tried once more.</summary>
    public void Retry()
    {
        if (State == DeliveryState.Failed)
        {
            State = DeliveryState.Pending;
        }
    }
}

public enum RecipientRole
{
    To = 0,
    Cc = 1,
    Bcc = 2,
}
