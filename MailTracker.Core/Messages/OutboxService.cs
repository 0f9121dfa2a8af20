using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Data;
using MailTracker.Core.Tracking;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Core.Messages;

/// <summary>
/// Accepts mail from the composer: validates it, applies the workspace's and user's tracking rules and the
/// recipients' do-not-track wishes, and stores it as Queued — with its tracking tokens — in one transaction,
/// before anything is sent.
/// </summary>
public sealed class OutboxService(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    OutboxSignal signal,
    FollowUpSignal followUpSignal,
    TimeProvider time)
{
    public const int MaxRecipients = 100;

    /// <summary>The largest message body accepted, in bytes of its HTML (most providers refuse mail past 10–25 MB).</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    public async Task<ComposeResult> QueueAsync(string userId, ComposeRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new List<ComposeError>();
        var to = ParseField(request.To, ComposeField.To, errors);
        var cc = ParseField(request.Cc, ComposeField.Cc, errors);
        var bcc = ParseField(request.Bcc, ComposeField.Bcc, errors);
        if (to.Count == 0 && !errors.Any(e => e.Field == ComposeField.To))
        {
            errors.Add(new ComposeError(ComposeField.To, ComposeErrorKind.Required));
        }

        if (to.Count + cc.Count + bcc.Count > MaxRecipients)
        {
            errors.Add(new ComposeError(ComposeField.To, ComposeErrorKind.TooManyRecipients, MaxRecipients.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(request.HtmlBody ?? "") > MaxBodyBytes)
        {
            // Nothing else is worked out for a body this large: it is refused as a whole.
            return new ComposeResult(null, [new ComposeError(ComposeField.Message, ComposeErrorKind.TooLarge, $"{MaxBodyBytes / (1024 * 1024)} MB")]);
        }

        var html = request.PlainTextOnly ? null : MailHtmlSanitizer.SanitizeComposed(request.HtmlBody ?? "");
        var text = HtmlToText.Convert(request.HtmlBody ?? "");
        if (string.IsNullOrWhiteSpace(request.Subject) && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new ComposeError(ComposeField.Message, ComposeErrorKind.Required));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.MailAccounts.Where(a => a.OwnerId == userId).OrderBy(a => a.IsSandbox).ThenBy(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        if (account is null)
        {
            errors.Add(new ComposeError(ComposeField.Account, ComposeErrorKind.NoMailbox));
        }

        // Send later and reminders are worked out in the sender's time zone.
        var now = time.GetUtcNow().UtcDateTime;
        var zone = ZonedTime.Find(user.TimeZoneId);
        DateTime? notBefore = null;
        if (request.SendAtLocal is { } sendAtLocal)
        {
            notBefore = ZonedTime.ToUtc(sendAtLocal, zone);
            if (notBefore <= now)
            {
                errors.Add(new ComposeError(ComposeField.SendAt, ComposeErrorKind.NotInFuture));
            }
        }

        DateTime? reminderDue = null;
        if (request.Reminder is { } reminder)
        {
            reminderDue = ZonedTime.ReminderDue(reminder, notBefore ?? now, zone);
            if (reminderDue <= (notBefore ?? now) || reminder.AfterDays is < 1 or > 365)
            {
                errors.Add(new ComposeError(ComposeField.Reminder, ComposeErrorKind.NotInFuture));
            }
        }

        if (errors.Count > 0)
        {
            return new ComposeResult(null, errors);
        }

        var workspace = await db.Workspaces.SingleAsync(cancellationToken);
        var allowed = workspace.IncludesTracking;
        var openTracking = allowed && user.OpenTrackingEnabled && request.OpenTracking && !request.PlainTextOnly;
        var linkTracking = allowed && user.LinkTrackingEnabled && request.LinkTracking && !request.PlainTextOnly;

        // An untracked recipient (Bcc too: a do-not-track person, a never-track domain) switches all tracking off,
        // whatever the toggles say.
        string? suppressedReason = null;
        if (openTracking || linkTracking)
        {
            var recipients = to.Concat(cc).Concat(bcc).Select(a => ContactAddress.Normalize(a.Address)).Distinct().ToList();
            var untracked = await RecipientTracking.FindAsync(db, userId, recipients, cancellationToken);
            if (untracked.Any)
            {
                openTracking = false;
                linkTracking = false;
                suppressedReason = untracked.Reason;
            }
        }

        // Links to a person or deal count only when they are the sender's own.
        var personId = request.PersonId is { } pid && await db.People.AnyAsync(p => p.Id == pid && p.OwnerId == userId, cancellationToken) ? pid : (int?)null;
        var dealId = request.DealId is { } did && await db.Deals.AnyAsync(d => d.Id == did && d.OwnerId == userId, cancellationToken) ? did : (int?)null;

        // "If not opened" needs open tracking and "if not clicked" link tracking, as they end up (after do-not-track).
        if (request.Reminder is { Condition: ReminderCondition.NotOpened } && !openTracking
            || request.Reminder is { Condition: ReminderCondition.NotClicked } && !linkTracking)
        {
            return new ComposeResult(null, [new ComposeError(ComposeField.Reminder, ComposeErrorKind.NeedsTracking)]);
        }

        var domain = account!.EmailAddress.Contains('@', StringComparison.Ordinal) ? account.EmailAddress[(account.EmailAddress.IndexOf('@', StringComparison.Ordinal) + 1)..] : "mailtracker.local";
        var message = Message.Queue(new OutgoingMail
        {
            OwnerId = userId,
            MailAccountId = account.Id,
            FromAddress = account.EmailAddress,
            FromName = string.IsNullOrWhiteSpace(account.DisplayName) ? user.DisplayName : account.DisplayName,
            To = AddressFormat.Format(to),
            Cc = AddressFormat.Format(cc),
            Bcc = AddressFormat.Format(bcc),
            Subject = request.Subject.Trim(),
            HtmlBody = html,
            TextBody = text,
            PlainTextOnly = request.PlainTextOnly,
            OpenTracking = openTracking,
            LinkTracking = linkTracking,
            TrackingSuppressedReason = suppressedReason,
            PersonId = personId,
            DealId = dealId,
            MessageIdHeader = MimeKit.Utils.MimeUtils.GenerateMessageId(domain),
            InReplyTo = request.InReplyTo,
            NotBefore = notBefore,
        }, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        AddTrackingTokens(db, message);
        if (request.Reminder is { } wanted)
        {
            db.FollowUpReminders.Add(FollowUpReminder.Create(userId, message.Id, wanted.Condition, reminderDue!.Value, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        signal.Notify();
        if (request.Reminder is not null)
        {
            followUpSignal.Notify();
        }
        return new ComposeResult(message.Id, []);
    }

    /// <summary>Puts a failed (or waiting) message back at the front of the queue.</summary>
    public async Task<bool> RetryAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.OwnerId == userId, cancellationToken);
        if (message is null || !message.CanRetry)
        {
            return false;
        }

        message.Retry(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return true;
    }

    /// <summary>Stops a failed or waiting message from being sent; it moves to Drafts.</summary>
    public async Task<bool> CancelAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.OwnerId == userId, cancellationToken);
        if (message is null || !message.CanCancel)
        {
            return false;
        }

        message.Cancel();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static void AddTrackingTokens(MailTrackerDbContext db, Message message)
    {
        if (message.OpenTracking)
        {
            db.TrackingTokens.Add(new TrackingToken { Token = TrackingTokenFormat.NewToken(), Kind = TrackingKind.Open, MessageId = message.Id });
        }

        if (message.LinkTracking && message.HtmlBody is not null)
        {
            var urls = TrackingInjector.FindTrackableLinks(message.HtmlBody);
            for (var i = 0; i < urls.Count; i++)
            {
                var link = new TrackedLink { MessageId = message.Id, Ordinal = i, Url = urls[i] };
                db.TrackedLinks.Add(link);
                db.TrackingTokens.Add(new TrackingToken { Token = TrackingTokenFormat.NewToken(), Kind = TrackingKind.Click, MessageId = message.Id, TrackedLink = link });
            }

            // The honeypot: a link no person can see or follow (see TrackingInjector); whatever follows it is a machine.
            var honeypot = new TrackedLink { MessageId = message.Id, Ordinal = urls.Count, Url = "about:blank", Hidden = true };
            db.TrackedLinks.Add(honeypot);
            db.TrackingTokens.Add(new TrackingToken { Token = TrackingTokenFormat.NewToken(), Kind = TrackingKind.Click, MessageId = message.Id, TrackedLink = honeypot });
        }
    }

    private static List<MailboxAddress> ParseField(string value, ComposeField field, List<ComposeError> errors)
    {
        if (!AddressFormat.TryParseList(value, out var list, out var invalid))
        {
            errors.Add(new ComposeError(field, ComposeErrorKind.InvalidAddress, invalid));
        }

        return list;
    }
}
