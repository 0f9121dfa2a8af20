using MailTracker.Core.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.FollowUps;

/// <summary>
/// Runs <see cref="FollowUpProcessor"/> when the next reminder falls due, when one is stored or snoozed, or when the poll
/// interval passes. Its timer runs on the app's <see cref="TimeProvider"/>, so tests move it with a fake clock.
/// </summary>
public sealed partial class FollowUpWorker(
    FollowUpProcessor processor,
    FollowUpSignal signal,
    IOptions<FollowUpOptions> options,
    TimeProvider time,
    ILogger<FollowUpWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                if (await processor.FireDueAsync(stoppingToken) is { } due)
                {
                    var untilDue = due - time.GetUtcNow().UtcDateTime;
                    wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < poll ? untilDue : poll;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database hiccupped; due reminders stay due and are fired on the next pass.
                LogPassFailed(ex);
            }

            if (!await signal.WaitAsync(wait, time, stoppingToken))
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A follow-up pass failed; it will run again")]
    private partial void LogPassFailed(Exception exception);
}
