using System.Diagnostics.Metrics;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Operations;

/// <summary>
/// MailTracker's own metrics, on the meter <see cref="MeterName"/>: outbox depth, send failures and sync lag. Other
/// features add their instruments to <see cref="Meter"/> (inject this class). The gauges are read from the database
/// only while a collector asks for them (a Prometheus scrape), at most every few seconds.
/// </summary>
public sealed class MailTrackerMetrics
{
    public const string MeterName = "MailTracker";

    private readonly IDbContextFactory<MailTrackerDbContext> _contextFactory;
    private readonly TimeProvider _time;
    private readonly Counter<long> _sendFailures;

    public MailTrackerMetrics(IMeterFactory meterFactory, IDbContextFactory<MailTrackerDbContext> contextFactory, TimeProvider time)
    {
        _contextFactory = contextFactory;
        _time = time;
        Meter = meterFactory.Create(MeterName);
        _sendFailures = Meter.CreateCounter<long>("mailtracker.outbox.send_failures", unit: "{failure}",
            description: "SMTP sends that failed; outcome = retry (transient, tried again) or permanent (left in the outbox as Failed).");
        Meter.CreateObservableGauge("mailtracker.outbox.depth", ObserveOutboxDepth, unit: "{message}",
            description: "Messages in the outbox waiting to be sent (status = queued) or being sent (status = sending).");
        Meter.CreateObservableGauge("mailtracker.sync.lag", ObserveSyncLag, unit: "s",
            description: "Seconds since the least recently synced folder of a connected mailbox was last synced.");
    }

    /// <summary>The meter every MailTracker instrument belongs to.</summary>
    public Meter Meter { get; }

    public void RecordSendFailure(bool permanent) =>
        _sendFailures.Add(1, new KeyValuePair<string, object?>("outcome", permanent ? "permanent" : "retry"));

    // A collector's callbacks must not block on the database: they answer the last reading and, when it is older than
    // RefreshAfter, start a new one in the background (one at a time), so a scrape sees values at most one interval old.
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);
    private volatile Reading _reading = new(0, 0, null, DateTime.MinValue);
    private int _refreshing;

    private IEnumerable<Measurement<long>> ObserveOutboxDepth()
    {
        var reading = Current();
        return
        [
            new(reading.Queued, new KeyValuePair<string, object?>("status", "queued")),
            new(reading.Sending, new KeyValuePair<string, object?>("status", "sending")),
        ];
    }

    private IEnumerable<Measurement<double>> ObserveSyncLag() =>
        Current().SyncLagSeconds is { } lag ? [new(lag)] : [];

    private Reading Current()
    {
        var reading = _reading;
        if (_time.GetUtcNow().UtcDateTime - reading.At > RefreshAfter && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return reading;
    }

    /// <summary>Reads the gauges' values from the database now (also what a scrape triggers when they are stale).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            await using var db = await _contextFactory.CreateDbContextAsync();
            var counts = await db.Messages.Where(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending)
                .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync();
            var oldest = await db.FolderSyncStates
                .Where(s => db.MailAccounts.Any(a => a.Id == s.MailAccountId && !a.IsSandbox && a.ConnectedAt != null))
                .MinAsync(s => (DateTime?)s.LastSyncAt);
            var now = _time.GetUtcNow().UtcDateTime;
            _reading = new Reading(
                counts.Where(c => c.Key == MessageStatus.Queued).Sum(c => c.Count),
                counts.Where(c => c.Key == MessageStatus.Sending).Sum(c => c.Count),
                oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
                now);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            // The database is out of reach: the gauges keep their last values; readiness says what is wrong.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private sealed record Reading(long Queued, long Sending, double? SyncLagSeconds, DateTime At);
}
