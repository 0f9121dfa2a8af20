using System.Collections.Concurrent;

namespace MailTracker.Core.Sync;

/// <summary>
/// Wakes the sync: the worker when mailboxes are connected or disconnected, and one mailbox's loop when something
/// local has to reach its server (a message read here, a sent copy to append) — it breaks out of IDLE for that.
/// A wake is never lost: one that arrives while nobody waits is kept for the next wait.
/// </summary>
public sealed class MailSyncSignal : Messages.IMailboxWake
{
    private readonly SemaphoreSlim _accountsChanged = new(0, 1);
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _mailboxes = new();

    public void AccountsChanged() => Release(_accountsChanged);

    public void Wake(int mailAccountId) => Release(Mailbox(mailAccountId));

    /// <summary>True when woken, false when the timeout passed.</summary>
    public Task<bool> WaitForAccountsChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _accountsChanged.WaitAsync(timeout, cancellationToken);

    /// <summary>True when woken, false when the timeout passed.</summary>
    public Task<bool> WaitAsync(int mailAccountId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Mailbox(mailAccountId).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Mailbox(int mailAccountId) => _mailboxes.GetOrAdd(mailAccountId, _ => new SemaphoreSlim(0, 1));

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake covers any number of reasons.
        }
    }
}
