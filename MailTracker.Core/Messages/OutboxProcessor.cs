using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using MailTracker.Core.Operations;
using MailTracker.Core.Tracking;
using MailTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Messages;

/// <summary>
/// Wakes a connected mailbox's sync (a small port, so Messages needs nothing of Sync): after SMTP accepted a mail, its
/// sender's copy is appended to the server's Sent folder right away, by the sync, so a failure is retried like any other.
/// </summary>
public interface IMailboxWake
{
    void Wake(int mailAccountId);
}

/// <summary>
/// One pass of the outbox: claims each due message, builds its MIME with tracking, sends it, and records the
/// outcome. Transient failures retry with exponential backoff; permanent ones stay in the outbox as Failed with
/// the server's reason. Nothing is deleted.
/// </summary>
public sealed partial class OutboxProcessor(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    SmtpMailSender sender,
    TrackingBaseUrl trackingBaseUrl,
    IMailboxWake mailboxWake,
    TokenIndex tokenIndex,
    IUserPush push,
    WebhookQueue webhooks,
    IOptions<OutboxOptions> options,
    MailTrackerMetrics metrics,
    TimeProvider time,
    ILogger<OutboxProcessor> logger)
{
    // This instance's name on the messages it is sending: the host, the process and a random part (several in one process).
    private readonly string _holder = Truncate($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}", 128);

    private TimeSpan SendLease => TimeSpan.FromSeconds(options.Value.SendLeaseSeconds);

    /// <summary>
    /// Queues again the messages whose sender stopped mid-send: their claim was not renewed and has lapsed (a crash, a
    /// kill, a lost database connection). A message another live instance is sending keeps its renewed claim and is left
    /// alone, so a restart never sends it a second time. Mid-send rows without a claim (written before claims existed)
    /// count as lapsed.
    /// </summary>
    public async Task RequeueLapsedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var requeued = await db.Messages
            .Where(m => m.Status == MessageStatus.Sending && (m.SendLeaseUntil == null || m.SendLeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Queued)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.SendLeaseHolder, (string?)null)
                .SetProperty(m => m.SendLeaseUntil, (DateTime?)null), cancellationToken);
        if (requeued > 0)
        {
            LogRequeued(requeued);
        }
    }

    /// <summary>Sends everything due now. Returns when the next queued message falls due, if any.</summary>
    public async Task<DateTime?> SendDueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RequeueLapsedAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var due = await db.Messages
                .Where(m => m.Status == MessageStatus.Queued && m.NextAttemptAt <= now)
                .Where(m => !db.MailAccounts.Any(a => a.Id == m.MailAccountId && a.ReconnectReason != null))
                .OrderBy(m => m.NextAttemptAt)
                .Select(m => m.Id)
                .Take(20)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return await db.Messages.Where(m => m.Status == MessageStatus.Queued)
                    .Where(m => !db.MailAccounts.Any(a => a.Id == m.MailAccountId && a.ReconnectReason != null))
                    .MinAsync(m => m.NextAttemptAt, cancellationToken);
            }

            foreach (var id in due)
            {
                await SendOneAsync(id, cancellationToken);
            }
        }

        return null;
    }

    private async Task SendOneAsync(long messageId, CancellationToken cancellationToken)
    {
        // Claim: only one worker (of any instance) moves a message from Queued to Sending, and holds it while it sends.
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var leaseUntil = time.GetUtcNow().UtcDateTime + SendLease;
        var claimed = await db.Messages
            .Where(m => m.Id == messageId && m.Status == MessageStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Sending)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.SendLeaseHolder, _holder)
                .SetProperty(m => m.SendLeaseUntil, leaseUntil), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var message = await db.Messages.SingleAsync(m => m.Id == messageId, cancellationToken);
        var subscribers = await webhooks.EnabledAsync(cancellationToken);
        var account = await db.MailAccounts.SingleOrDefaultAsync(a => a.Id == message.MailAccountId, cancellationToken);
        SendResult result;
        List<MessageRecipient>? copies = null;
        if (account is null)
        {
            result = SendResult.Failed("The mailbox this message was written from is no longer connected.");
        }
        else
        {
            var tokens = await db.TrackingTokens.Where(t => t.MessageId == messageId)
                .Select(t => new IssuedToken(t.Token, t.Kind, t.TrackedLink == null ? -1 : t.TrackedLink.Ordinal, t.TrackedLink != null && t.TrackedLink.Hidden, t.Recipient))
                .ToListAsync(cancellationToken);
            Func<Task<SendResult>> send;
            if (message.TrackPerRecipient)
            {
                copies = await db.MessageRecipients.Where(r => r.MessageId == messageId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
                send = () => SendEachAsync(db, message, account, copies, tokens, subscribers, cancellationToken);
            }
            else
            {
                var mime = OutgoingMimeFactory.Build(message, message.IsTracked ? Tracking(message, tokens.Where(t => t.Recipient == null)) : null);
                send = () => sender.SendAsync(account, mime, cancellationToken);
            }

            using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = RenewWhileSendingAsync(messageId, sending.Token);
            try
            {
                result = await send();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping mid-send (a rolling restart): hand the message back now rather than when the claim lapses.
                await sending.CancelAsync();
                await renewing;
                await ReleaseAsync(messageId);
                throw;
            }

            await sending.CancelAsync();
            await renewing;
        }

        message.EndSendLease();

        var now = time.GetUtcNow().UtcDateTime;
        if (result.AwaitsReconnect)
        {
            message.HoldForReconnect(result.Reason!, now);
            LogAwaitingReconnect(message.Id);
        }
        else if (result.Succeeded)
        {
            message.MarkSent(now);
            if (copies is null)
            {
                Hook(db, subscribers, WebhookEvents.MessageSent, message, now, OnlyRecipient(message), null);
            }

            LogSent(message.Id, message.OwnerId, message.Attempts);
        }
        else if (result.Permanent)
        {
            metrics.RecordSendFailure(permanent: true);
            message.MarkFailed(result.Reason!);
            if (copies is null)
            {
                Hook(db, subscribers, WebhookEvents.MessageBounced, message, now, OnlyRecipient(message), result.Reason);
            }

            LogFailed(message.Id, message.OwnerId, result.Reason!);
        }
        else if (message.Attempts >= options.Value.MaxAttempts)
        {
            metrics.RecordSendFailure(permanent: true);
            message.MarkFailed($"Gave up after {message.Attempts} attempts. Last error: {result.Reason}");
            if (copies is null)
            {
                Hook(db, subscribers, WebhookEvents.MessageBounced, message, now, OnlyRecipient(message), message.LastError);
            }

            foreach (var copy in copies?.Where(c => c.State == DeliveryState.Pending) ?? [])
            {
                copy.MarkFailed($"Gave up after {message.Attempts} attempts. Last error: {copy.LastError}");
                Hook(db, subscribers, WebhookEvents.MessageBounced, message, now, copy.Address, copy.LastError);
            }

            LogFailed(message.Id, message.OwnerId, result.Reason!);
        }
        else
        {
            metrics.RecordSendFailure(permanent: false);
            var delay = TimeSpan.FromSeconds(Math.Min(
                options.Value.MaxRetryDelaySeconds,
                options.Value.RetryDelaySeconds * Math.Pow(2, message.Attempts - 1)));
            message.ScheduleRetry(result.Reason!, now + delay);
            LogRetry(message.Id, message.OwnerId, result.Reason!, delay);
        }

        // The outcome must be stored even if the app is stopping: the mail may already have left.
        await db.SaveChangesAsync(CancellationToken.None);
        if (WebhookQueue.Wanted(subscribers, WebhookEvents.MessageSent | WebhookEvents.MessageBounced))
        {
            webhooks.Wake();
        }

        try
        {
            if (result.Succeeded)
            {
                if (account is { IsSandbox: false })
                {
                    mailboxWake.Wake(account.Id);
                }

                // Its tokens go into the index now, so the first hits (Gmail fetches within a second) cost no read.
                if (message.IsTracked)
                {
                    await tokenIndex.WarmAsync(message.Id, cancellationToken);
                }
            }

            await push.PushAsync(message.OwnerId, new UserPushEvent(UserPushKinds.Message, message.Id, null), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The outcome is stored; the owner's list catches up on its next load.
            LogAfterSendFailed(ex, message.Id);
        }
    }

    private AppliedTracking Tracking(Message message, IEnumerable<IssuedToken> issued)
    {
        var tokens = issued.ToList();
        return new AppliedTracking(
            trackingBaseUrl.Get(),
            tokens.FirstOrDefault(t => t.Kind == TrackingKind.Open)?.Token,
            message.LinkTracking ? tokens.Where(t => t.Kind == TrackingKind.Click && !t.Hidden).OrderBy(t => t.Ordinal).Select(t => t.Token).ToList() : null,
            message.LinkTracking ? tokens.FirstOrDefault(t => t.Hidden)?.Token : null);
    }

    /// <summary>
    /// Tracked per recipient: each recipient still waiting gets their own copy (their tokens) in a transaction of their
    /// own, and each outcome is stored as soon as it is known, so a crash or a partial refusal never sends a copy twice.
    /// The message's result: sent once every copy is; else waiting (a deferral), held (reconnect) or failed (refusals
    /// only), with the failing recipients' reasons.
    /// </summary>
    private async Task<SendResult> SendEachAsync(
        MailTrackerDbContext db, Message message, Accounts.MailAccount account, List<MessageRecipient> recipients, List<IssuedToken> tokens,
        IReadOnlyList<WebhookQueue.Subscriber> subscribers, CancellationToken cancellationToken)
    {
        var pending = recipients.Where(r => r.State == DeliveryState.Pending).ToList();
        var outcomes = new SendResult[pending.Count];
        var byRecipient = tokens.ToLookup(t => t.Recipient);
        var copies = pending
            .Select(r => (OutgoingMimeFactory.BuildCopy(message, Tracking(message, byRecipient[r.Address])), new MimeKit.MailboxAddress(r.DisplayName, r.Address)))
            .ToList();
        await sender.SendEachAsync(account, copies, async (i, outcome) =>
        {
            outcomes[i] = outcome;
            var now = time.GetUtcNow().UtcDateTime;
            if (outcome.Succeeded)
            {
                pending[i].MarkSent(now);
                message.RecordFirstDelivery(now);
                Hook(db, subscribers, WebhookEvents.MessageSent, message, now, pending[i].Address, null);
            }
            else if (outcome.Permanent)
            {
                pending[i].MarkFailed(outcome.Reason!);
                Hook(db, subscribers, WebhookEvents.MessageBounced, message, now, pending[i].Address, outcome.Reason);
            }
            else
            {
                pending[i].MarkDeferred(outcome.Reason!);
            }

            // Stored before the next copy goes: this recipient's copy has left (or not) whatever happens next.
            await db.SaveChangesAsync(CancellationToken.None);
        }, cancellationToken);

        var failures = outcomes.Where(o => !o.Succeeded).ToList();
        if (failures.Count == 0 && recipients.All(r => r.State == DeliveryState.Sent))
        {
            return SendResult.Ok;
        }

        var reason = string.Join("; ", recipients.Where(r => r.State != DeliveryState.Sent && r.LastError is not null).Select(r => r.LastError).Distinct());
        return failures.Exists(f => f.AwaitsReconnect) ? SendResult.Reconnect(reason)
            : recipients.Exists(r => r.State == DeliveryState.Pending) ? SendResult.Transient(reason)
            : SendResult.Failed(reason);
    }

    /// <summary>Queues a <c>message.sent</c> or <c>message.bounced</c> delivery, saved with the outcome it reports.</summary>
    private void Hook(MailTrackerDbContext db, IReadOnlyList<WebhookQueue.Subscriber> subscribers, WebhookEvents kind, Message message, DateTime now, string? recipient, string? error) =>
        _ = webhooks.Enqueue(db, subscribers, kind, new WebhookPayload
        {
            Type = WebhookEventNames.Of(kind),
            Time = now,
            MessageId = message.Id,
            Subject = message.Subject,
            From = message.FromAddress,
            Recipient = recipient,
            Error = error,
        });

    /// <summary>The recipient of a mail to one person (the payload names them); null when it went to several.</summary>
    private static string? OnlyRecipient(Message message)
    {
        var all = AddressFormat.Parse(message.To).Concat(AddressFormat.Parse(message.Cc)).Concat(AddressFormat.Parse(message.Bcc)).ToList();
        return all.Count == 1 ? all[0].Address : null;
    }

    /// <summary>Keeps this instance's claim on a message alive while its SMTP send runs.</summary>
    private async Task RenewWhileSendingAsync(long messageId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SendLease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var until = time.GetUtcNow().UtcDateTime + SendLease;
                    await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
                    var renewed = await db.Messages
                        .Where(m => m.Id == messageId && m.Status == MessageStatus.Sending && m.SendLeaseHolder == _holder)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.SendLeaseUntil, until), cancellationToken);
                    if (renewed == 0)
                    {
                        LogLeaseLost(messageId);
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again; the claim lapses only if the database stays out of reach for its length.
                    LogRenewFailed(ex, messageId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The send is over.
        }
    }

    private async Task ReleaseAsync(long messageId)
    {
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Messages
                .Where(m => m.Id == messageId && m.Status == MessageStatus.Sending && m.SendLeaseHolder == _holder)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, MessageStatus.Queued)
                    .SetProperty(m => m.NextAttemptAt, now)
                    .SetProperty(m => m.SendLeaseHolder, (string?)null)
                    .SetProperty(m => m.SendLeaseUntil, (DateTime?)null), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Its claim lapses by itself and another instance (or this one, restarted) queues it again then.
            LogRenewFailed(ex, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} stays queued until its mailbox is reconnected")]
    private partial void LogAwaitingReconnect(long messageId);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} message(s) whose sender stopped mid-send were queued again")]
    private partial void LogRequeued(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: this instance's claim was taken over while it was sending")]
    private partial void LogLeaseLost(long messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the send claim could not be renewed or released")]
    private partial void LogRenewFailed(Exception exception, long messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of user {UserId} sent after {Attempts} attempt(s)")]
    private partial void LogSent(long messageId, string userId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of user {UserId} failed permanently: {Reason}")]
    private partial void LogFailed(long messageId, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of user {UserId} will be retried in {Delay}: {Reason}")]
    private partial void LogRetry(long messageId, string userId, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the owner's browsers (or the sync) about message {MessageId} failed")]
    private partial void LogAfterSendFailed(Exception exception, long messageId);

    /// <summary>A token as issued when the message was queued; <see cref="Recipient"/> set for a per-recipient copy.</summary>
    private sealed record IssuedToken(string Token, TrackingKind Kind, int Ordinal, bool Hidden, string? Recipient);
}
