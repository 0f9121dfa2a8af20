using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// Group commit into the intake: requests queue their hit and wait; one loop takes everything queued (up to
/// <c>Tracking:MaxBatchSize</c>), appends it in one commit and releases the waiters, so an answered hit is durable.
/// On shutdown the queue drains before the loop stops (hosted services stop after Kestrel).
/// </summary>
public sealed partial class IntakeWriter(
    ITrackingIntake intake,
    ProjectionSignal projection,
    IOptions<TrackingOptions> options,
    ILogger<IntakeWriter> logger) : IHostedService, IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writing;

    /// <summary>Queues a hit; true once it is committed, false if it could not be made durable (the caller still answers safely).</summary>
    public Task<bool> AppendAsync(IntakeHit hit)
    {
        var pending = new Pending(hit);
        return _queue.Writer.TryWrite(pending) ? pending.Completion.Task : Task.FromResult(false);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await intake.InitializeAsync(cancellationToken);
        var appender = await intake.OpenAppenderAsync(cancellationToken);
        _writing = Task.Run(() => WriteLoopAsync(appender), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writing is not null)
        {
            await _writing.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writing?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException ex)
        {
            LogWriterFailed(ex);
        }
    }

    private async Task WriteLoopAsync(IIntakeAppender appender)
    {
        var max = options.Value.MaxBatchSize;
        var batch = new List<Pending>(max);
        var hits = new List<IntakeHit>(max);
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (batch.Count < max && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    hits.Add(pending.Hit);
                }

                appender = await AppendAsync(appender, hits, batch);
                batch.Clear();
                hits.Clear();
            }
        }
        finally
        {
            await appender.DisposeAsync();
        }
    }

    /// <summary>Appends a group; a failure (a broken connection, a full disk) gets one more try on a fresh connection.</summary>
    private async Task<IIntakeAppender> AppendAsync(IIntakeAppender appender, List<IntakeHit> hits, List<Pending> batch)
    {
        var committed = false;
        for (var attempt = 0; attempt < 2 && !committed; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await appender.DisposeAsync();
                    appender = await intake.OpenAppenderAsync(CancellationToken.None);
                }

                await appender.AppendAsync(hits, CancellationToken.None);
                committed = true;
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, hits.Count, attempt + 1);
            }
        }

        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult(committed);
        }

        if (committed)
        {
            projection.Appended();
        }

        return appender;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} tracking hit(s) to the intake failed (attempt {Attempt})")]
    private partial void LogAppendFailed(Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The intake writer stopped with an error")]
    private partial void LogWriterFailed(Exception exception);

    private sealed class Pending(IntakeHit hit)
    {
        public IntakeHit Hit { get; } = hit;

        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
