namespace MailTracker.Core.Messages;

public enum MailFolder
{
    Inbox = 0,
    Sent = 1,
    Outbox = 2,
    Drafts = 3,
}

public enum MessageStatus
{
    Received = 0,
    Queued = 1,
    Sending = 2,
    Sent = 3,
    Failed = 4,
    Draft = 5,
}

/// <summary>
/// One mail in a user's mailbox: received, queued in the outbox, or sent. The bodies stored here are the
/// sender's copy — original links, no pixel — so viewing it in the app never counts as an open.
/// The tracking summary columns are written only by the <c>TrackingProjector</c>, by the rule in
/// <c>TrackingSummary</c>, in the same transaction as the events they sum up.
/// </summary>
public class Message
{
    private readonly List<MessageParticipant> _participants = [];

    private Message()
    {
    }

    public long Id { get; private set; }

    public string OwnerId { get; private set; } = "";

    public int MailAccountId { get; private set; }

    public MailFolder Folder { get; private set; }

    public MessageStatus Status { get; private set; }

    public string FromAddress { get; private set; } = "";

    public string FromName { get; private set; } = "";

    /// <summary>RFC 5322 address list, e.g. <c>"Anna Nowak" &lt;anna@example.com&gt;, bob@example.com</c>.</summary>
    public string To { get; private set; } = "";

    public string Cc { get; private set; } = "";

    public string Bcc { get; private set; } = "";

    public string Subject { get; private set; } = "";

    /// <summary>Sanitised HTML body, or null for a plain-text-only mail.</summary>
    public string? HtmlBody { get; private set; }

    public string TextBody { get; private set; } = "";

    /// <summary>The first characters of the text body, for the list.</summary>
    public string Snippet { get; private set; } = "";

    /// <summary>Lower-cased subject, participants and snippet, for search.</summary>
    public string SearchText { get; private set; } = "";

    /// <summary>The RFC 5322 Message-ID, without angle brackets.</summary>
    public string MessageIdHeader { get; private set; } = "";

    public string? InReplyTo { get; private set; }

    /// <summary>When this message was sent, received, or queued: the list's sort key (UTC).</summary>
    public DateTime Date { get; private set; }

    public DateTime? SentAt { get; private set; }

    public bool IsRead { get; private set; }

    public bool PlainTextOnly { get; private set; }

    // Outbox state.
    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTime? NextAttemptAt { get; private set; }

    /// <summary>The app instance sending this message now (status Sending), and until when its claim holds unless renewed.</summary>
    public string? SendLeaseHolder { get; private set; }

    public DateTime? SendLeaseUntil { get; private set; }

    /// <summary>Send later: not sent before this time (UTC). Its sent time is still the real one (<see cref="SentAt"/>).</summary>
    public DateTime? ScheduledFor { get; private set; }

    // Tracking choice, fixed once queued.
    public bool OpenTracking { get; private set; }

    public bool LinkTracking { get; private set; }

    public bool IsTracked { get; private set; }

    /// <summary>
    /// Each recipient (To, Cc, Bcc) got a copy of their own with their own tokens (see <see cref="MessageRecipient"/>),
    /// so hits say who opened. Only for tracked mail to more than one recipient.
    /// </summary>
    public bool TrackPerRecipient { get; private set; }

    /// <summary>Why tracking was not applied although the sender asked for it (e.g. a do-not-track recipient).</summary>
    public string? TrackingSuppressedReason { get; private set; }

    // Tracking summary: counted (human or image-proxy) events only.
    public int OpenCount { get; private set; }

    public DateTime? FirstOpenedAt { get; private set; }

    public DateTime? LastOpenedAt { get; private set; }

    public int ClickCount { get; private set; }

    public DateTime? FirstClickedAt { get; private set; }

    public DateTime? LastClickedAt { get; private set; }

    /// <summary>Fetches by Apple Mail Privacy Protection: not reads, but worth showing when nothing else opened it.</summary>
    public int PrivacyOpenCount { get; private set; }

    /// <summary>The open was not seen but inferred (a counted click or a reply with images blocked, as Outlook does).</summary>
    public bool OpenInferred { get; private set; }

    // IMAP identity, for messages synced with (or appended to) the mailbox's server. A UID only means something
    // together with the folder's UIDVALIDITY; a UID without one is a sent copy placed under an older UIDVALIDITY
    // (kept so it is never appended twice). See docs/decisions/0009-imap-sync.md.
    public long? ImapUidValidity { get; private set; }

    public long? ImapUid { get; private set; }

    /// <summary>The read state changed here and still has to be stored as the \Seen flag on the server.</summary>
    public bool SeenChangePending { get; private set; }

    /// <summary>The message this one answers (by In-Reply-To / References), in the same mailbox; shown as its thread.</summary>
    public long? ReplyToMessageId { get; private set; }

    /// <summary>The person this mail was explicitly written to from their page (beside matching by address).</summary>
    public int? PersonId { get; private set; }

    /// <summary>The deal this mail is about: set when it was composed from the deal's page.</summary>
    public int? DealId { get; private set; }

    /// <summary>The template this mail was written from; kept when the template is later edited or deleted (its rates).</summary>
    public int? TemplateId { get; private set; }

    /// <summary>From, To and Cc addresses, indexed for the contacts' email history.</summary>
    public IReadOnlyList<MessageParticipant> Participants => _participants;

    public bool IsOutgoing => Folder is MailFolder.Sent or MailFolder.Outbox or MailFolder.Drafts;

    public bool CanRetry => Status is MessageStatus.Failed or MessageStatus.Queued;

    public bool CanCancel => Status is MessageStatus.Failed or MessageStatus.Queued;

    /// <summary>Creates an outgoing message, durable in the outbox before anything is sent.</summary>
    public static Message Queue(OutgoingMail mail, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mail.OwnerId);
        var message = new Message
        {
            OwnerId = mail.OwnerId,
            MailAccountId = mail.MailAccountId,
            Folder = MailFolder.Outbox,
            Status = MessageStatus.Queued,
            FromAddress = mail.FromAddress,
            FromName = mail.FromName,
            To = mail.To,
            Cc = mail.Cc,
            Bcc = mail.Bcc,
            Subject = mail.Subject,
            HtmlBody = mail.PlainTextOnly ? null : mail.HtmlBody,
            TextBody = mail.TextBody,
            PlainTextOnly = mail.PlainTextOnly,
            MessageIdHeader = mail.MessageIdHeader,
            InReplyTo = mail.InReplyTo,
            Date = now,
            NextAttemptAt = mail.NotBefore is { } notBefore && notBefore > now ? notBefore : now,
            ScheduledFor = mail.NotBefore is { } scheduled && scheduled > now ? scheduled : null,
            IsRead = true,
            OpenTracking = mail.OpenTracking && !mail.PlainTextOnly,
            LinkTracking = mail.LinkTracking && !mail.PlainTextOnly,
            TrackingSuppressedReason = mail.TrackingSuppressedReason,
            PersonId = mail.PersonId,
            DealId = mail.DealId,
            TemplateId = mail.TemplateId,
        };
        message.IsTracked = message.OpenTracking || message.LinkTracking;
        message.TrackPerRecipient = mail.TrackPerRecipient && message.IsTracked;
        message.SetSearchFields();
        message.SetParticipants();
        return message;
    }

    /// <summary>Records a message that arrived in the mailbox (synced over IMAP).</summary>
    public static Message Receive(IncomingMail mail)
    {
        var message = new Message
        {
            OwnerId = mail.OwnerId,
            MailAccountId = mail.MailAccountId,
            Folder = mail.Folder,
            Status = mail.Folder == MailFolder.Sent ? MessageStatus.Sent : MessageStatus.Received,
            FromAddress = mail.FromAddress,
            FromName = mail.FromName,
            To = mail.To,
            Cc = mail.Cc,
            Subject = mail.Subject,
            HtmlBody = mail.HtmlBody,
            TextBody = mail.TextBody,
            MessageIdHeader = mail.MessageIdHeader,
            InReplyTo = mail.InReplyTo,
            Date = mail.Date,
            SentAt = mail.Folder == MailFolder.Sent ? mail.Date : null,
            IsRead = mail.IsRead,
            ImapUidValidity = mail.ImapUidValidity,
            ImapUid = mail.ImapUid,
            ReplyToMessageId = mail.ReplyToMessageId,
        };
        message.SetSearchFields();
        message.SetParticipants();
        return message;
    }

    /// <summary>The SMTP server accepted it. (Claiming for a send is a conditional update in <c>OutboxProcessor</c>.)</summary>
    public void MarkSent(DateTime now)
    {
        Status = MessageStatus.Sent;
        Folder = MailFolder.Sent;
        // Tracked per recipient, the first copy may have left on an earlier attempt: the verdicts time hits from then.
        SentAt = TrackPerRecipient && SentAt is { } first ? first : now;
        Date = now;
        LastError = null;
        NextAttemptAt = null;
    }

    /// <summary>A copy for one recipient was accepted (tracked per recipient); the message is sent once every copy is.</summary>
    public void RecordFirstDelivery(DateTime now) => SentAt ??= now;

    /// <summary>A transient failure: stays queued and is tried again at <paramref name="nextAttemptAt"/>.</summary>
    public void ScheduleRetry(string reason, DateTime nextAttemptAt)
    {
        Status = MessageStatus.Queued;
        LastError = reason;
        NextAttemptAt = nextAttemptAt;
    }

    /// <summary>
    /// Its mailbox must be reconnected first: stays queued, the attempt not counted, and is sent once the mailbox works
    /// again (the outbox skips mail of mailboxes awaiting reconnection, so nothing spins meanwhile).
    /// </summary>
    public void HoldForReconnect(string reason, DateTime now)
    {
        Status = MessageStatus.Queued;
        Attempts = Math.Max(0, Attempts - 1);
        LastError = reason;
        NextAttemptAt = now;
    }

    /// <summary>A permanent failure: stays in the outbox, with the server's reason, until the user retries or cancels.</summary>
    public void MarkFailed(string reason)
    {
        Status = MessageStatus.Failed;
        LastError = reason;
        NextAttemptAt = null;
    }

    /// <summary>The send is over (whatever its outcome): no instance holds the message any longer.</summary>
    public void EndSendLease()
    {
        SendLeaseHolder = null;
        SendLeaseUntil = null;
    }

    public void Retry(DateTime now)
    {
        if (!CanRetry)
        {
            throw new InvalidOperationException("Only a failed or queued message can be retried.");
        }

        Status = MessageStatus.Queued;
        // A message scheduled for later keeps its time: retrying never sends it early.
        NextAttemptAt = ScheduledFor is { } scheduled && scheduled > now ? scheduled : now;
    }

    /// <summary>Tracked per recipient, some copies have left while others still wait or were refused.</summary>
    public bool PartlySent => TrackPerRecipient && SentAt is not null && Folder == MailFolder.Outbox;

    /// <summary>
    /// Takes the message out of the outbox into Drafts; nothing is lost. A message some recipients already have (tracked per
    /// recipient) is not a draft: it is filed under Sent, and the copies still waiting are not sent.
    /// </summary>
    public void Cancel()
    {
        if (!CanCancel)
        {
            throw new InvalidOperationException("Only a failed or queued message can be cancelled.");
        }

        if (PartlySent)
        {
            Status = MessageStatus.Sent;
            Folder = MailFolder.Sent;
            Date = SentAt!.Value;
            NextAttemptAt = null;
            return;
        }

        Status = MessageStatus.Draft;
        Folder = MailFolder.Drafts;
        NextAttemptAt = null;
    }

    public void MarkRead(bool read = true) => IsRead = read;

    /// <summary>Remembers where this message lives on the IMAP server (found by sync, or appended there).</summary>
    public void LinkToImap(long uidValidity, long uid)
    {
        ImapUidValidity = uidValidity;
        ImapUid = uid;
    }

    /// <summary>The server's \Seen flag wins unless a local change is still waiting to be stored there.</summary>
    public void ApplyServerSeen(bool seen)
    {
        if (!SeenChangePending)
        {
            IsRead = seen;
        }
    }

    private void SetParticipants()
    {
        var seen = new HashSet<(string, ParticipantRole)>();
        void Add(string address, ParticipantRole role)
        {
            var participant = new MessageParticipant(OwnerId, address, role);
            if (participant.Address.Length > 0 && seen.Add((participant.Address, role)))
            {
                _participants.Add(participant);
            }
        }

        Add(FromAddress, ParticipantRole.From);
        foreach (var address in AddressFormat.ParseWellFormed(To))
        {
            Add(address.Address, ParticipantRole.To);
        }

        foreach (var address in AddressFormat.ParseWellFormed(Cc))
        {
            Add(address.Address, ParticipantRole.Cc);
        }
    }

    private void SetSearchFields()
    {
        var text = TextBody.ReplaceLineEndings(" ").Trim();
        while (text.Contains("  ", StringComparison.Ordinal))
        {
            text = text.Replace("  ", " ", StringComparison.Ordinal);
        }

        Snippet = StoredText.Cut(text, 200);
        var searchBody = StoredText.Cut(text, 2000);
        SearchText = string.Join('\n', Subject, FromName, FromAddress, To, Cc, searchBody).ToLowerInvariant();
    }
}

/// <summary>Everything needed to queue an outgoing mail.</summary>
public sealed record OutgoingMail
{
    public required string OwnerId { get; init; }
    public required int MailAccountId { get; init; }
    public required string FromAddress { get; init; }
    public string FromName { get; init; } = "";
    public required string To { get; init; }
    public string Cc { get; init; } = "";
    public string Bcc { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? HtmlBody { get; init; }
    public string TextBody { get; init; } = "";
    public bool PlainTextOnly { get; init; }
    public bool OpenTracking { get; init; }
    public bool LinkTracking { get; init; }
    public bool TrackPerRecipient { get; init; }
    public string? TrackingSuppressedReason { get; init; }
    public int? PersonId { get; init; }
    public int? DealId { get; init; }
    public int? TemplateId { get; init; }
    public required string MessageIdHeader { get; init; }
    public string? InReplyTo { get; init; }

    /// <summary>Send later: the outbox holds it until then (UTC).</summary>
    public DateTime? NotBefore { get; init; }
}

/// <summary>A mail found in the mailbox during sync.</summary>
public sealed record IncomingMail
{
    public required string OwnerId { get; init; }
    public required int MailAccountId { get; init; }
    public required MailFolder Folder { get; init; }
    public string FromAddress { get; init; } = "";
    public string FromName { get; init; } = "";
    public string To { get; init; } = "";
    public string Cc { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? HtmlBody { get; init; }
    public string TextBody { get; init; } = "";
    public string MessageIdHeader { get; init; } = "";
    public string? InReplyTo { get; init; }
    public required DateTime Date { get; init; }
    public bool IsRead { get; init; }
    public long? ImapUidValidity { get; init; }
    public long? ImapUid { get; init; }
    public long? ReplyToMessageId { get; init; }
}
