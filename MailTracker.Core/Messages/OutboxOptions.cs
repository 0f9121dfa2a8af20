using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Messages;

/// <summary>The <c>Outbox</c> section: how the outbox worker retries.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 100, ErrorMessage = "Outbox:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further attempt doubles it, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(1, 86_400, ErrorMessage = "Outbox:RetryDelaySeconds must be between 1 and 86400.")]
    public int RetryDelaySeconds { get; set; } = 30;

    [Range(1, 86_400, ErrorMessage = "Outbox:MaxRetryDelaySeconds must be between 1 and 86400.")]
    public int MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>How often the worker looks for due mail when nothing wakes it.</summary>
    [Range(1, 3600, ErrorMessage = "Outbox:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 10;

    [Range(1, 600, ErrorMessage = "Outbox:SmtpTimeoutSeconds must be between 1 and 600.")]
    public int SmtpTimeoutSeconds { get; set; } = 60;
}
