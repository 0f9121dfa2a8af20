namespace MailTracker.Core.Sandbox;

/// <summary>A mail accepted by the built-in sandbox mail server. Nothing left this machine.</summary>
public class SandboxDelivery
{
    public long Id { get; set; }

    public DateTime ReceivedAt { get; set; }

    public string EnvelopeFrom { get; set; } = "";

    /// <summary>Envelope recipients, comma separated.</summary>
    public string EnvelopeTo { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The user whose mailbox address matches the envelope sender, if any.</summary>
    public string? SenderUserId { get; set; }

    /// <summary>The message exactly as received (RFC 5322 bytes).</summary>
    public byte[] Raw { get; set; } = [];
}
