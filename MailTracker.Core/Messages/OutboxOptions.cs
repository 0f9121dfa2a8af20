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

    /// <summary>
    /// How long an instance's claim on a message it is sending holds; it renews it every third of that while it sends.
    /// Another instance takes the message over (queues it again) only once the claim has lapsed: its sender died.
    /// </summary>
    [Range(3, 3600, ErrorMessage = "Outbox:SendLeaseSeconds must be between 3 and 3600.")]
    public int SendLeaseSeconds { get; set; } = 60;

    [Range(1, 600, ErrorMessage = "Outbox:SmtpTimeoutSeconds must be between 1 and 600.")]
    public int SmtpTimeoutSeconds { get; set; } = 60;
}
