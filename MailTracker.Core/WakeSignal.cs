namespace MailTracker.Core;

/// <summary>
/// Wakes one background loop early: callers <see cref="Notify"/> when there is work, the loop waits for a notice or its
/// poll interval, whichever comes first. Notices while the loop is busy fold into one wake-up.
/// </summary>
public class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by another caller in between: one wake-up is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Waits for a notice or until <paramref name="wait"/> has passed on <paramref name="time"/> (the app's clock, so a
    /// test's fake clock moves it), whichever comes first. Returns false when <paramref name="stoppingToken"/> stopped it.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken stoppingToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait, time, waiting.Token);
        var wake = _signal.WaitAsync(Timeout.InfiniteTimeSpan, waiting.Token);
        await Task.WhenAny(delay, wake);
        await waiting.CancelAsync();
        try
        {
            await Task.WhenAll(delay, wake);
        }
        catch (OperationCanceledException)
        {
            // The loser of the two was cancelled: expected, unless the app is stopping.
        }

        return !stoppingToken.IsCancellationRequested;
    }
}
