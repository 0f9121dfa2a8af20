using MailKit;
using MailKit.Net.Imap;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using Microsoft.Extensions.Logging;
using MailFolder = MailTracker.Core.Messages.MailFolder;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Sync;

/// <summary>
/// Keeps one mailbox in sync for as long as it stays connected: one IMAP session, a pass over Sent and Inbox, then
/// IDLE on the inbox (or a pause on servers without IDLE) until something changes, and again. Any failure is recorded
/// for the settings page and retried with exponential backoff; nothing escapes to the host.
/// </summary>
public sealed partial class AccountSynchronizer(
    ImapConnector connector,
    FolderSynchronizer folders,
    SyncStore store,
    MailSyncSignal signal,
    IUserPush push,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<AccountSynchronizer> logger)
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the mailbox is no longer connected.</summary>
    public async Task RunAsync(int accountId, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var established = false;
            try
            {
                var account = await store.LoadAccountAsync(accountId, cancellationToken);
                if (account is null || !account.SyncsOverImap)
                {
                    return;
                }

                using var client = await connector.ConnectAsync(account, cancellationToken);
                using var inbox = new InboxWatch(client.Inbox);
                established = true;
                while (true)
                {
                    await PassAsync(client, account, inbox, cancellationToken);
                    failures = 0;
                    await WaitForChangesAsync(client, inbox, accountId, cancellationToken);
                    account = await store.LoadAccountAsync(accountId, cancellationToken);
                    if (account is null || !account.SyncsOverImap)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var problem = MailConnectionProblem.From(ex, established);
                var delay = RetryDelay(failures);
                LogFailed(ex, accountId, problem.Kind, delay);
                try
                {
                    await store.RecordFailureAsync(accountId, problem, cancellationToken);
                    await push.PushAsync(await OwnerAsync(accountId, cancellationToken), new UserPushEvent(UserPushKinds.Sync, null, null), cancellationToken);
                }
                catch (Exception recordFailure) when (recordFailure is not OperationCanceledException)
                {
                    LogRecordFailed(recordFailure, accountId);
                }

                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One pass over Sent, then Inbox, on a fresh session; for tools and tests that drive the sync themselves.</summary>
    public async Task SyncOnceAsync(int accountId, CancellationToken cancellationToken)
    {
        var account = await store.LoadAccountAsync(accountId, cancellationToken)
            ?? throw new InvalidOperationException($"Mailbox {accountId} does not exist.");
        using var client = await connector.ConnectAsync(account, cancellationToken);
        using var inbox = new InboxWatch(client.Inbox);
        await PassAsync(client, account, inbox, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>Sent first, so replies in the inbox find the mail they answer. Leaves the inbox selected.</summary>
    private async Task PassAsync(ImapClient client, MailAccount account, InboxWatch inbox, CancellationToken cancellationToken)
    {
        var sent = await SentFolderLocator.FindAsync(client, cancellationToken);
        if (sent is null && account.AppendToSentFolder && (await store.PendingSentCopiesAsync(account, cancellationToken)).Count > 0)
        {
            sent = await SentFolderLocator.CreateAsync(client, cancellationToken);
        }

        if (sent is not null)
        {
            await folders.SyncAsync(sent, account, await store.LoadStateAsync(account.Id, MailFolder.Sent, cancellationToken), cancellationToken);
        }

        // Selecting the inbox reports its count as a change; from then on, news about it (even in answer to this pass's
        // own commands) means another pass.
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        inbox.Reset();
        await folders.SyncAsync(client.Inbox, account, await store.LoadStateAsync(account.Id, MailFolder.Inbox, cancellationToken), cancellationToken);
        await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Sync, null, null), cancellationToken);
    }

    /// <summary>
    /// IDLE on the inbox until new mail or a flag change arrives, something local needs the server (a wake), or the
    /// poll interval passes (for the Sent folder). Without IDLE, just the wake or the interval.
    /// </summary>
    private async Task WaitForChangesAsync(ImapClient client, InboxWatch inbox, int accountId, CancellationToken cancellationToken)
    {
        if (inbox.Changed)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await signal.WaitAsync(accountId, interval, cancellationToken);
            return;
        }

        using var done = new CancellationTokenSource(interval, time);
        using var onChange = inbox.OnChange(done.Cancel);
        var woken = StopOnWakeAsync(accountId, done);
        try
        {
            if (!inbox.Changed)
            {
                await client.IdleAsync(done.Token, cancellationToken);
            }
        }
        finally
        {
            await done.CancelAsync();
            await woken;
        }
    }

    private async Task StopOnWakeAsync(int accountId, CancellationTokenSource done)
    {
        try
        {
            if (await signal.WaitAsync(accountId, Timeout.InfiniteTimeSpan, done.Token))
            {
                await done.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // IDLE ended for another reason.
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var seconds = options.Value.RetryDelaySeconds * Math.Pow(2, Math.Min(failures - 1, 20));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.Value.MaxRetryDelaySeconds));
    }

    private async Task<string> OwnerAsync(int accountId, CancellationToken cancellationToken) =>
        (await store.LoadAccountAsync(accountId, cancellationToken))?.OwnerId ?? "";

    /// <summary>
    /// Notices new mail, expunges and flag changes in the inbox for the whole session. MailKit reports them whenever the
    /// server mentions them — during IDLE, but also in answer to any other command — so a change seen between a pass
    /// and the next IDLE is not lost: it makes the next wait return at once.
    /// </summary>
    private sealed class InboxWatch : IDisposable
    {
        private readonly IMailFolder _inbox;
        private volatile bool _changed;
        private Action? _onChange;

        public InboxWatch(IMailFolder inbox)
        {
            _inbox = inbox;
            _inbox.CountChanged += Changes;
            _inbox.MessageFlagsChanged += Changes;
            _inbox.MessageExpunged += Changes;
        }

        public bool Changed => _changed;

        public void Reset() => _changed = false;

        public IDisposable OnChange(Action action)
        {
            _onChange = action;
            return new Unsubscribe(this);
        }

        public void Dispose()
        {
            _inbox.CountChanged -= Changes;
            _inbox.MessageFlagsChanged -= Changes;
            _inbox.MessageExpunged -= Changes;
        }

        private void Changes(object? sender, EventArgs e)
        {
            _changed = true;
            _onChange?.Invoke();
        }

        private sealed class Unsubscribe(InboxWatch watch) : IDisposable
        {
            public void Dispose() => watch._onChange = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: sync failed ({Kind}); retrying in {Delay}")]
    private partial void LogFailed(Exception exception, int accountId, MailConnectionProblemKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mailbox {AccountId}: could not record a sync failure")]
    private partial void LogRecordFailed(Exception exception, int accountId);
}
