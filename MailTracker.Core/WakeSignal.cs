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
}
