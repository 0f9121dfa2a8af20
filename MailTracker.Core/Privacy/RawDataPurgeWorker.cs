using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailTracker.Core.Privacy;

/// <summary>Runs <see cref="RawTrackingData.PurgeBatchAsync"/> batch after batch every <see cref="PrivacyOptions.Interval"/> (and once at start).</summary>
public sealed partial class RawDataPurgeWorker(RawTrackingData rawData, TimeProvider time, ILogger<RawDataPurgeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PrivacyOptions.Interval, time);
        do
        {
            try
            {
                var total = 0;
                int cleared;
                while ((cleared = await rawData.PurgeBatchAsync(stoppingToken)) > 0)
                {
                    total += cleared;
                }

                if (total > 0)
                {
                    LogPurged(total);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is lost by waiting: what is left is cleared on the next pass.
                LogPurgeFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the raw client address and user agent of {Count} tracking events past Tracking:RawDataDays")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging raw tracking data failed; it will run again")]
    private partial void LogPurgeFailed(Exception exception);
}
