using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Webhooks;

/// <summary>The <c>Webhooks</c> section: how deliveries are retried, leased and given up on.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Retries within one attempt (Polly, with jittered exponential backoff) before the row waits for a later pass.</summary>
    [Range(0, 10, ErrorMessage = "Webhooks:RetryAttempts must be between 0 and 10.")]
    public int RetryAttempts { get; set; } = 3;

    [Range(1, 60_000, ErrorMessage = "Webhooks:RetryDelayMilliseconds must be between 1 and 60000.")]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    [Range(1, 120, ErrorMessage = "Webhooks:AttemptTimeoutSeconds must be between 1 and 120.")]
    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>After a failed attempt the row waits this long, doubling each time, up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(1, 86_400, ErrorMessage = "Webhooks:BackoffSeconds must be between 1 and 86400.")]
    public int BackoffSeconds { get; set; } = 30;

    [Range(1, 86_400, ErrorMessage = "Webhooks:MaxBackoffSeconds must be between 1 and 86400.")]
    public int MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>An endpoint whose every attempt failed for this long is disabled.</summary>
    [Range(1, 720, ErrorMessage = "Webhooks:DisableAfterHours must be between 1 and 720.")]
    public int DisableAfterHours { get; set; } = 24;

    [Range(3, 3600, ErrorMessage = "Webhooks:LeaseSeconds must be between 3 and 3600.")]
    public int LeaseSeconds { get; set; } = 120;

    [Range(1, 3600, ErrorMessage = "Webhooks:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 5;

    /// <summary>How many deliveries (to different messages) one instance sends at once.</summary>
    [Range(1, 64, ErrorMessage = "Webhooks:Concurrency must be between 1 and 64.")]
    public int Concurrency { get; set; } = 8;
}
