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
                established = true;
                while (true)
                {
                    var inbox = await PassAsync(client, account, cancellationToken);
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
        await PassAsync(client, account, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>Sent first, so replies in the inbox find the mail they answer. Leaves the inbox selected.</summary>
    private async Task<IMailFolder> PassAsync(ImapClient client, MailAccount account, CancellationToken cancellationToken)
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

        await folders.SyncAsync(client.Inbox, account, await store.LoadStateAsync(account.Id, MailFolder.Inbox, cancellationToken), cancellationToken);
        await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Sync, null, null), cancellationToken);
        return client.Inbox;
    }

    /// <summary>
    /// IDLE on the inbox until new mail or a flag change arrives, something local needs the server (a wake), or the
    /// poll interval passes (for the Sent folder). Without IDLE, just the wake or the interval.
    /// </summary>
    private async Task WaitForChangesAsync(ImapClient client, IMailFolder inbox, int accountId, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await signal.WaitAsync(accountId, interval, cancellationToken);
            return;
        }

        using var done = new CancellationTokenSource(interval, time);
        void Stop(object? sender, EventArgs e) => done.Cancel();
        inbox.CountChanged += Stop;
        inbox.MessageFlagsChanged += Stop;
        inbox.MessageExpunged += Stop;
        var woken = StopOnWakeAsync(accountId, done);
        try
        {
            await client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            inbox.CountChanged -= Stop;
            inbox.MessageFlagsChanged -= Stop;
            inbox.MessageExpunged -= Stop;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: sync failed ({Kind}); retrying in {Delay}")]
    private partial void LogFailed(Exception exception, int accountId, MailConnectionProblemKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mailbox {AccountId}: could not record a sync failure")]
    private partial void LogRecordFailed(Exception exception, int accountId);
}
