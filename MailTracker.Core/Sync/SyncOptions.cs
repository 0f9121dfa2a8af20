using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Sync;

/// <summary>The <c>Sync</c> section: how connected mailboxes are kept up to date over IMAP.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Runs the background sync of connected mailboxes. Off only for tools that drive a sync themselves.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first sync of a folder fetches the mail of this many days; later syncs fetch whatever is new.</summary>
    [Range(1, 3650, ErrorMessage = "Sync:InitialDays must be between 1 and 3650.")]
    public int InitialDays { get; set; } = 30;

    /// <summary>
    /// How often a mailbox is checked when nothing is pushed: the whole mailbox on servers without IDLE, and the Sent
    /// folder and flags on servers with it (IDLE reports new inbox mail at once).
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Sync:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 60;

    /// <summary>How long one IMAP or SMTP operation may take, including connecting.</summary>
    [Range(1, 600, ErrorMessage = "Sync:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>First wait after a failed sync; it doubles with each further failure up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(1, 3600, ErrorMessage = "Sync:RetryDelaySeconds must be between 1 and 3600.")]
    public int RetryDelaySeconds { get; set; } = 5;

    [Range(1, 86_400, ErrorMessage = "Sync:MaxRetryDelaySeconds must be between 1 and 86400.")]
    public int MaxRetryDelaySeconds { get; set; } = 900;

    /// <summary>Messages fetched and stored per round trip and transaction.</summary>
    [Range(1, 5000, ErrorMessage = "Sync:BatchSize must be between 1 and 5000.")]
    public int BatchSize { get; set; } = 250;

    /// <summary>Larger messages are not downloaded whole: only their headers and text parts (attachments stay on the server).</summary>
    [Range(1024, 1_073_741_824, ErrorMessage = "Sync:MaxMessageBytes must be between 1024 and 1073741824.")]
    public int MaxMessageBytes { get; set; } = 2 * 1024 * 1024;
}
