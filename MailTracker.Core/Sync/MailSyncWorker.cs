using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Sync;

/// <summary>
/// Runs one <see cref="AccountSynchronizer"/> loop per connected mailbox: starts loops for mailboxes connected,
/// stops those disconnected, and restarts one whose settings were replaced (a new connection time).
/// </summary>
public sealed partial class MailSyncWorker(
    AccountSynchronizer synchronizer,
    SyncStore store,
    MailSyncSignal signal,
    IOptions<SyncOptions> options,
    ILogger<MailSyncWorker> logger) : BackgroundService
{
    private readonly Dictionary<int, Loop> _loops = [];

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
            foreach (var loop in _loops.Values)
            {
                await loop.StopAsync();
            }

            _loops.Clear();
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var connected = await store.ConnectedAccountsAsync(stoppingToken);
        foreach (var (id, loop) in _loops.ToList())
        {
            if (!connected.TryGetValue(id, out var since) || since != loop.ConnectedAt || loop.Task.IsCompleted)
            {
                await loop.StopAsync();
                _loops.Remove(id);
            }
        }

        foreach (var (id, since) in connected)
        {
            if (!_loops.ContainsKey(id))
            {
                var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var task = Task.Run(() => synchronizer.RunAsync(id, cancellation.Token), CancellationToken.None);
                _loops[id] = new Loop(since, cancellation, task);
                LogStarted(id);
            }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not look up the mailboxes to sync; trying again")]
    private partial void LogReconcileFailed(Exception exception);
}
