namespace MailTracker.Core.Messages;

/// <summary>What the composer submits.</summary>
public sealed record ComposeRequest
{
    public string To { get; init; } = "";
    public string Cc { get; init; } = "";
    public string Bcc { get; init; } = "";
    public string Subject { get; init; } = "";

    /// <summary>The composer's HTML; sanitised before it is stored.</summary>
    public string HtmlBody { get; init; } = "";

    /// <summary>Send text only, with no HTML part (then opens cannot be tracked).</summary>
    public bool PlainTextOnly { get; init; }

    public bool OpenTracking { get; init; }
    public bool LinkTracking { get; init; }

    /// <summary>"Track each recipient separately": a copy and tokens per recipient (applies to more than one recipient).</summary>
    public bool TrackEachRecipient { get; init; }

    public string? InReplyTo { get; init; }

    /// <summary>Composed from this person's page: the mail joins their history even if the address is edited.</summary>
    public int? PersonId { get; init; }

    /// <summary>Composed from this deal's page: the mail is linked to the deal.</summary>
    public int? DealId { get; init; }

    /// <summary>Send later: the local date and time, in the sender's time zone, before which it is not sent.</summary>
    public DateTime? SendAtLocal { get; init; }

    /// <summary>Written from this template (Insert template): the message keeps it for the template's rates, if the user may see it.</summary>
    public int? TemplateId { get; init; }

    /// <summary>A follow-up reminder to store with the message.</summary>
    public ReminderRequest? Reminder { get; init; }
}

public enum ComposeField
{
    To,
    Cc,
    Bcc,
    Subject,
    Message,
    Account,
    SendAt,
    Reminder,
}

public enum ComposeErrorKind
{
    Required,
    InvalidAddress,
    TooManyRecipients,
    NoMailbox,
    TooLarge,

    /// <summary>A send-later or reminder time that is not after now (or, for a reminder, after the send).</summary>
    NotInFuture,

    /// <summary>A reminder "if not opened" or "if not clicked" on a message not tracked that way.</summary>
    NeedsTracking,

    /// <summary>A <c>{{field}}</c> that does not exist (the value names it).</summary>
    UnknownField,

    /// <summary>A known <c>{{field}}</c> the recipient has no value for, with no fallback (the value names it).</summary>
    MissingField,
}

/// <summary>A validation problem, as codes the UI words in the user's language.</summary>
public sealed record ComposeError(ComposeField Field, ComposeErrorKind Kind, string? Value = null);

public sealed record ComposeResult(long? MessageId, IReadOnlyList<ComposeError> Errors)
{
    public bool Succeeded => MessageId is not null;
}
