using MailTracker.Core.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Messages;

/// <summary>Runs <see cref="OutboxProcessor"/> whenever mail is queued, a retry falls due, or the poll interval passes.</summary>
public sealed partial class OutboxWorker(
    OutboxProcessor processor,
    OutboxSignal signal,
    WorkerHeartbeats heartbeats,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    /// <summary>This worker's name in <see cref="WorkerHeartbeats"/>.</summary>
    public const string HeartbeatName = "outbox";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each pass starts by queueing again what a stopped sender left mid-send (its claim lapsed), this one included.
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeats.Beat(HeartbeatName);
            var wait = poll;
            try
            {
                var nextDue = await processor.SendDueAsync(stoppingToken);
                if (nextDue is { } due)
                {
                    var untilDue = due - time.GetUtcNow().UtcDateTime;
                    wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < poll ? untilDue : poll;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database or network hiccupped; queued mail stays queued and is tried on the next pass.
                LogPassFailed(ex);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox pass failed; it will run again")]
    private partial void LogPassFailed(Exception exception);
}
