using MailTracker.Core.Data;
using MailTracker.Core.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Messages;

/// <summary>Something that reacts when a message leaves the outbox (live list updates, the IMAP Sent copy).</summary>
public interface IMessageSentListener
{
    Task OnMessageChangedAsync(string ownerId, long messageId, CancellationToken cancellationToken);
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
    IEnumerable<IMessageSentListener> listeners,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxProcessor> logger)
{
    /// <summary>Returns messages to other processes that were mid-send when the app stopped.</summary>
    public async Task RequeueInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var interrupted = await db.Messages.Where(m => m.Status == MessageStatus.Sending).ToListAsync(cancellationToken);
        foreach (var message in interrupted)
        {
            message.RequeueInterrupted(time.GetUtcNow().UtcDateTime);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sends everything due now. Returns when the next queued message falls due, if any.</summary>
    public async Task<DateTime?> SendDueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
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
        // Claim: only one worker (of any instance) moves a message from Queued to Sending.
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Messages
            .Where(m => m.Id == messageId && m.Status == MessageStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Sending).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var message = await db.Messages.SingleAsync(m => m.Id == messageId, cancellationToken);
        var account = await db.MailAccounts.SingleOrDefaultAsync(a => a.Id == message.MailAccountId, cancellationToken);
        SendResult result;
        if (account is null)
        {
            result = SendResult.Failed("The mailbox this message was written from is no longer connected.");
        }
        else
        {
            var tokens = await db.TrackingTokens.Where(t => t.MessageId == messageId)
                .Select(t => new { t.Token, t.Kind, Ordinal = t.TrackedLink == null ? -1 : t.TrackedLink.Ordinal })
                .ToListAsync(cancellationToken);
            var tracking = message.IsTracked
                ? new AppliedTracking(
                    trackingBaseUrl.Get(),
                    tokens.FirstOrDefault(t => t.Kind == TrackingKind.Open)?.Token,
                    message.LinkTracking ? tokens.Where(t => t.Kind == TrackingKind.Click).OrderBy(t => t.Ordinal).Select(t => t.Token).ToList() : null)
                : null;
            var mime = OutgoingMimeFactory.Build(message, tracking);
            result = await sender.SendAsync(account, mime, cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (result.AwaitsReconnect)
        {
            message.HoldForReconnect(result.Reason!, now);
            LogAwaitingReconnect(message.Id);
        }
        else if (result.Succeeded)
        {
            message.MarkSent(now);
            LogSent(message.Id, message.Attempts);
        }
        else if (result.Permanent)
        {
            message.MarkFailed(result.Reason!);
            LogFailed(message.Id, result.Reason!);
        }
        else if (message.Attempts >= options.Value.MaxAttempts)
        {
            message.MarkFailed($"Gave up after {message.Attempts} attempts. Last error: {result.Reason}");
            LogFailed(message.Id, result.Reason!);
        }
        else
        {
            var delay = TimeSpan.FromSeconds(Math.Min(
                options.Value.MaxRetryDelaySeconds,
                options.Value.RetryDelaySeconds * Math.Pow(2, message.Attempts - 1)));
            message.ScheduleRetry(result.Reason!, now + delay);
            LogRetry(message.Id, result.Reason!, delay);
        }

        // The outcome must be stored even if the app is stopping: the mail may already have left.
        await db.SaveChangesAsync(CancellationToken.None);

        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnMessageChangedAsync(message.OwnerId, message.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogListenerFailed(ex, listener.GetType().Name, message.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} sent after {Attempts} attempt(s)")]
    private partial void LogSent(long messageId, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} stays queued until its mailbox is reconnected")]
    private partial void LogAwaitingReconnect(long messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed permanently: {Reason}")]
    private partial void LogFailed(long messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} will be retried in {Delay}: {Reason}")]
    private partial void LogRetry(long messageId, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {Listener} failed for message {MessageId}")]
    private partial void LogListenerFailed(Exception exception, string listener, long messageId);
}
