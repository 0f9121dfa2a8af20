using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// Keeps the write-ahead logs of the SQLite files it watches small, off every writer's commit path. A PASSIVE
/// checkpoint (never blocks anyone) copies committed pages back a few times a second; but under a steady flood a
/// passive checkpoint never catches up with the end of the log, so the log is never rewound and grows without bound
/// (1.7 GB was measured). Once a log passes <c>Tracking:MaxWalMegabytes</c> a TRUNCATE checkpoint runs: it waits for
/// the current writer's group (milliseconds), copies what the passive rounds left, and empties the file.
/// </summary>
public sealed partial class SqliteCheckpointer(IOptions<TrackingOptions> options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, string> _watched = new();

    /// <summary>Largest WAL size seen, in bytes (the tracking benchmark reports it).</summary>
    public long PeakWalBytes { get; private set; }

    /// <summary>Starts watching a database file (idempotent).</summary>
    public void Watch(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return;
        }

        _watched.TryAdd(Path.GetFullPath(builder.DataSource), connectionString);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limit = (long)options.Value.MaxWalMegabytes * 1024 * 1024;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (file, connectionString) in _watched)
                {
                    await CheckpointAsync(file, connectionString, limit, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckpointAsync(string file, string connectionString, long limit, CancellationToken cancellationToken)
    {
        var wal = new FileInfo(file + "-wal");
        if (!wal.Exists || wal.Length == 0)
        {
            return;
        }

        PeakWalBytes = Math.Max(PeakWalBytes, wal.Length);
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            var truncate = wal.Length > limit;
            command.CommandText = truncate ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);";
            command.CommandTimeout = 5;
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (truncate)
            {
                LogTruncated(Path.GetFileName(file), wal.Length / (1024 * 1024));
            }
        }
        catch (SqliteException ex)
        {
            // Busy now; the next round tries again, and SQLite keeps the log consistent meanwhile.
            LogCheckpointFailed(ex, Path.GetFileName(file));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A WAL checkpoint of {File} did not run this round")]
    private partial void LogCheckpointFailed(Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "The WAL of {File} reached {Megabytes} MB and was emptied")]
    private partial void LogTruncated(string file, long megabytes);
}
