using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Data;
using MailTracker.Core.Templates;
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

        // {{first_name}}-style fields, filled from the first To recipient's person (docs/decisions/0019-templates.md).
        var subject = request.Subject.Trim();
        if (to.Count > 0 && (TemplateFields.HasFields(subject) || html is not null && TemplateFields.HasFields(html) || TemplateFields.HasFields(text)))
        {
            var values = await FieldValuesAsync(db, userId, to[0], user.DisplayName, cancellationToken);
            var filledSubject = TemplateFields.Fill(subject, values, html: false);
            var filledText = TemplateFields.Fill(text, values, html: false);
            var filledHtml = html is null ? null : TemplateFields.Fill(html, values, html: true);
            AddFieldErrors(errors, ComposeField.Subject, filledSubject);
            AddFieldErrors(errors, ComposeField.Message, filledHtml ?? filledText);
            subject = filledSubject.Text;
            text = filledText.Text;
            html = filledHtml?.Text;
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

        // A template counts only when the sender may see it.
        var templateId = request.TemplateId is { } tid
            && await db.EmailTemplates.AnyAsync(t => t.Id == tid && t.DeletedAt == null && (t.OwnerId == userId || t.Shared), cancellationToken) ? tid : (int?)null;

        // Each recipient their own copy and tokens: only worth it for tracked mail to more than one address.
        var recipientList = Recipients(to, cc, bcc);
        var perRecipient = request.TrackEachRecipient && (openTracking || linkTracking) && recipientList.Count > 1;

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
            Subject = subject,
            HtmlBody = html,
            TextBody = text,
            PlainTextOnly = request.PlainTextOnly,
            OpenTracking = openTracking,
            LinkTracking = linkTracking,
            TrackPerRecipient = perRecipient,
            TrackingSuppressedReason = suppressedReason,
            PersonId = personId,
            DealId = dealId,
            TemplateId = templateId,
            MessageIdHeader = MimeKit.Utils.MimeUtils.GenerateMessageId(domain),
            InReplyTo = request.InReplyTo,
            NotBefore = notBefore,
        }, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        AddTrackingTokens(db, message, message.TrackPerRecipient ? recipientList : null);
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
        if (message.TrackPerRecipient)
        {
            // Only the recipients who were refused are tried again; those who have their copy do not get another.
            foreach (var recipient in await db.MessageRecipients.Where(r => r.MessageId == messageId && r.State == DeliveryState.Failed).ToListAsync(cancellationToken))
            {
                recipient.Retry();
            }
        }

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

        if (message.PartlySent)
        {
            // Those who have their copy keep it; the others are not sent one.
            foreach (var recipient in await db.MessageRecipients.Where(r => r.MessageId == messageId && r.State == DeliveryState.Pending).ToListAsync(cancellationToken))
            {
                recipient.MarkFailed("Not sent: the sender cancelled.");
            }
        }

        message.Cancel();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Issues the message's tokens. Tracked per recipient (<paramref name="recipients"/> given), every recipient gets an open
    /// token, a click token per link and a honeypot of their own, and a <see cref="MessageRecipient"/> row for its delivery.
    /// </summary>
    private static void AddTrackingTokens(MailTrackerDbContext db, Message message, IReadOnlyList<MessageRecipient>? recipients)
    {
        var copies = recipients?.Select(r => (string?)r.Address).ToList() ?? [null];
        if (recipients is not null)
        {
            db.MessageRecipients.AddRange(recipients.Select(r => new MessageRecipient(message.Id, r.Address, r.DisplayName, r.Role)));
        }

        if (message.OpenTracking)
        {
            foreach (var recipient in copies)
            {
                db.TrackingTokens.Add(new TrackingToken { Token = TrackingTokenFormat.NewToken(), Kind = TrackingKind.Open, MessageId = message.Id, Recipient = recipient });
            }
        }

        if (message.LinkTracking && message.HtmlBody is not null)
        {
            var urls = TrackingInjector.FindTrackableLinks(message.HtmlBody);
            var links = urls.Select((url, i) => new TrackedLink { MessageId = message.Id, Ordinal = i, Url = url }).ToList();

            // The honeypot: a link no person can see or follow (see TrackingInjector); whatever follows it is a machine.
            links.Add(new TrackedLink { MessageId = message.Id, Ordinal = urls.Count, Url = "about:blank", Hidden = true });
            db.TrackedLinks.AddRange(links);
            foreach (var recipient in copies)
            {
                foreach (var link in links)
                {
                    db.TrackingTokens.Add(new TrackingToken { Token = TrackingTokenFormat.NewToken(), Kind = TrackingKind.Click, MessageId = message.Id, TrackedLink = link, Recipient = recipient });
                }
            }
        }
    }

    /// <summary>The values of the fields for <paramref name="recipient"/>: their person (the sender's own), else the address's display name.</summary>
    private static async Task<FieldValues> FieldValuesAsync(MailTrackerDbContext db, string userId, MailboxAddress recipient, string myName, CancellationToken cancellationToken)
    {
        var address = ContactAddress.Normalize(recipient.Address);
        var person = await db.People
            .Where(p => p.OwnerId == userId && db.PersonEmails.Any(e => e.PersonId == p.Id && e.OwnerId == userId && e.Address == address))
            .Select(p => new { p.Name, p.Organization })
            .FirstOrDefaultAsync(cancellationToken);
        return FieldValues.For(person?.Name ?? recipient.Name ?? "", address, person?.Organization ?? "", myName);
    }

    private static void AddFieldErrors(List<ComposeError> errors, ComposeField field, FieldResult result)
    {
        foreach (var problem in result.Problems)
        {
            var kind = problem.Kind == FieldProblemKind.Unknown ? ComposeErrorKind.UnknownField : ComposeErrorKind.MissingField;
            if (!errors.Any(e => e.Field == field && e.Kind == kind && e.Value == problem.Field))
            {
                errors.Add(new ComposeError(field, kind, problem.Field));
            }
        }
    }

    /// <summary>Every distinct address of To, Cc and Bcc, lower-cased, with the first field it appears in.</summary>
    private static List<MessageRecipient> Recipients(List<MailboxAddress> to, List<MailboxAddress> cc, List<MailboxAddress> bcc)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<MessageRecipient>();
        foreach (var (field, role) in new[] { (to, RecipientRole.To), (cc, RecipientRole.Cc), (bcc, RecipientRole.Bcc) })
        {
            foreach (var address in field)
            {
                var normalized = ContactAddress.Normalize(address.Address);
                if (seen.Add(normalized))
                {
                    list.Add(new MessageRecipient(0, normalized, address.Name ?? "", role));
                }
            }
        }

        return list;
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
