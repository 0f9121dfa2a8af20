using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Tracking;

public enum IpAnonymization
{
    /// <summary>Store the full client address.</summary>
    None = 0,

    /// <summary>Zero the last octet of IPv4 and the last 80 bits of IPv6.</summary>
    Truncate = 1,

    /// <summary>Store no address at all.</summary>
    Drop = 2,
}

/// <summary>The <c>Tracking</c> section.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>
    /// The base URL recipients' mail clients reach for the pixel and links, e.g. https://track.example.com.
    /// Empty means the app's own listening address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public IpAnonymization IpAnonymization { get; set; } = IpAnonymization.Truncate;

    /// <summary>Most hits appended to the intake in one commit.</summary>
    [Range(1, 10_000, ErrorMessage = "Tracking:MaxBatchSize must be between 1 and 10000.")]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Most intake entries the projector turns into events in one transaction.</summary>
    [Range(1, 100_000, ErrorMessage = "Tracking:ProjectionBatchSize must be between 1 and 100000.")]
    public int ProjectionBatchSize { get; set; } = 2000;

    /// <summary>
    /// While hits keep arriving and the projector works through full batches (a flood), it takes at most this share of
    /// its time and pauses for the rest, so the tracking endpoints keep the processor and answer fast; the backlog is
    /// projected once the flood ends. 1 disables the pause. Normal traffic never fills a batch, so it is never paused.
    /// </summary>
    [Range(0.05, 1.0, ErrorMessage = "Tracking:ProjectorShareUnderLoad must be between 0.05 and 1.")]
    public double ProjectorShareUnderLoad { get; set; } = 0.5;

    /// <summary>
    /// SQLite only: where the intake lives. Empty: a file of its own beside the main database (<c>mailtracker.intake.db</c>);
    /// <c>main</c>: a table in the main database; else a file path (relative to the main database's folder).
    /// </summary>
    public string? IntakeDatabase { get; set; }

    /// <summary>SQLite only: a write-ahead log past this size is emptied by a TRUNCATE checkpoint.</summary>
    [Range(1, 4096, ErrorMessage = "Tracking:MaxWalMegabytes must be between 1 and 4096.")]
    public int MaxWalMegabytes { get; set; } = 64;

    /// <summary>Hits per minute recorded from one client address; beyond it the endpoints still answer but record nothing.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Tracking:RecordLimitPerMinutePerIp must be between 0 and 1000000 (0 = no limit).")]
    public int RecordLimitPerMinutePerIp { get; set; } = 600;

    /// <summary>
    /// SQLite <c>synchronous</c> for the intake: <c>NORMAL</c> (durable across process crashes, one WAL write
    /// per batch) or <c>FULL</c> (also across power loss, one fsync per batch).
    /// </summary>
    [RegularExpression("^(NORMAL|FULL)$", ErrorMessage = "Tracking:SqliteSynchronous must be NORMAL or FULL.")]
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>
    /// Maps the benchmark's endpoints: <c>/bench/gif</c> (the same GIF with no work, the baseline) and
    /// <c>/bench/handoff.gif</c> (the intake's queue and group wait, writing nothing). Off in production.
    /// </summary>
    public bool BenchEndpoint { get; set; }
}
