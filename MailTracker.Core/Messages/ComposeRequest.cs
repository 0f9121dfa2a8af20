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
}

public enum ComposeField
{
    To,
    Cc,
    Bcc,
    Subject,
    Message,
    Account,
}

public enum ComposeErrorKind
{
    Required,
    InvalidAddress,
    TooManyRecipients,
    NoMailbox,
    TooLarge,
}

/// <summary>A validation problem, as codes the UI words in the user's language.</summary>
public sealed record ComposeError(ComposeField Field, ComposeErrorKind Kind, string? Value = null);

public sealed record ComposeResult(long? MessageId, IReadOnlyList<ComposeError> Errors)
{
    public bool Succeeded => MessageId is not null;
}
