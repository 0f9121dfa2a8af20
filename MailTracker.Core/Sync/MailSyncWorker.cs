using MailTracker.Core.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Sync;

/// <summary>
/// Runs one <see cref="AccountSynchronizer"/> loop per connected mailbox: starts loops for mailboxes connected,
/// stops those disconnected, and restarts one whose settings were replaced (a new connection time).
/// </summary>
/// <remarks>
/// With several instances on one database, each mailbox is synced by one of them only: an instance starts a loop only
/// when it holds the mailbox's lease, renews it every round, and gives it up when it stops. An instance that dies
/// without giving it up is replaced once the lease runs out (three rounds), or at once by an instance on the same host
/// (a restart after a crash), which can see that its process is gone. Work asked of a mailbox on another instance
/// (a sent copy to append, a read flag to push) is kept in the database and done by the holder's next pass.
/// </remarks>
public sealed partial class MailSyncWorker(
    AccountSynchronizer synchronizer,
    SyncStore store,
    MailSyncSignal signal,
    SyncInstance instance,
    WorkerHeartbeats heartbeats,
    IOptions<SyncOptions> options,
    ILogger<MailSyncWorker> logger) : BackgroundService
{
    private readonly Dictionary<int, Loop> _loops = [];

    /// <summary>This worker's name in <see cref="WorkerHeartbeats"/>.</summary>
    public const string HeartbeatName = "sync";

    private TimeSpan LeaseDuration => TimeSpan.FromSeconds(3 * options.Value.PollSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                heartbeats.Beat(HeartbeatName);
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReconcileFailed(ex);
                }

                await signal.WaitForAccountsChangeAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            foreach (var (id, loop) in _loops)
            {
                await loop.StopAsync();
                await ReleaseAsync(id, giveUp.Token);
            }

            _loops.Clear();
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var connected = await store.ConnectedAccountsAsync(stoppingToken);
        foreach (var (id, loop) in _loops.ToList())
        {
            var keep = connected.TryGetValue(id, out var since) && since == loop.ConnectedAt && !loop.Task.IsCompleted;
            if (keep && !await store.TryLeaseAsync(id, instance.Id, LeaseDuration, stoppingToken))
            {
                // Another instance took the mailbox over after this one missed its renewals; it syncs it now.
                LogLeaseLost(id);
                keep = false;
            }

            if (!keep)
            {
                await loop.StopAsync();
                _loops.Remove(id);
                await ReleaseAsync(id, stoppingToken);
            }
        }

        foreach (var (id, since) in connected)
        {
            if (!_loops.ContainsKey(id) && await TryLeaseAsync(id, stoppingToken))
            {
                var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var task = Task.Run(() => synchronizer.RunAsync(id, cancellation.Token), CancellationToken.None);
                _loops[id] = new Loop(since, cancellation, task);
                LogStarted(id);
            }
        }
    }

    /// <summary>Takes a free or expired lease, or at once one whose holder was an instance on this host that is gone.</summary>
    private async Task<bool> TryLeaseAsync(int accountId, CancellationToken cancellationToken)
    {
        if (await store.TryLeaseAsync(accountId, instance.Id, LeaseDuration, cancellationToken))
        {
            return true;
        }

        return await store.LeaseHolderAsync(accountId, cancellationToken) is { } holder && instance.IsDeadLocal(holder)
            && await store.TryTakeOverAsync(accountId, instance.Id, holder, LeaseDuration, cancellationToken);
    }

    private async Task ReleaseAsync(int accountId, CancellationToken cancellationToken)
    {
        try
        {
            await store.ReleaseLeaseAsync(accountId, instance.Id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; the lease runs out by itself.
        }
        catch (Exception ex)
        {
            // The lease then runs out by itself; another instance waits a little longer before taking the mailbox.
            LogReleaseFailed(ex, accountId);
        }
    }

    private sealed record Loop(DateTime? ConnectedAt, CancellationTokenSource Cancellation, Task Task)
    {
        public async Task StopAsync()
        {
            await Cancellation.CancelAsync();
            try
            {
                await Task;
            }
            catch (OperationCanceledException)
            {
                // Expected.
            }
            finally
            {
                Cancellation.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox {AccountId}: sync started")]
    private partial void LogStarted(int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: another instance took its sync over")]
    private partial void LogLeaseLost(int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: could not give up the sync lease; it runs out by itself")]
    private partial void LogReleaseFailed(Exception exception, int accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not look up the mailboxes to sync; trying again")]
    private partial void LogReconcileFailed(Exception exception);
}
