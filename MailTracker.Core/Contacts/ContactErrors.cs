namespace MailTracker.Core.Contacts;

public enum ContactField
{
    Name,
    Email,
    OtherEmails,
    Title,
    Value,
    Currency,
    Stage,
    Person,
}

public enum ContactErrorKind
{
    Required,
    InvalidAddress,

    /// <summary>Another of the user's people already has this address; <see cref="ContactError.Value"/> is the address.</summary>
    AddressTaken,
    TooLong,
    Invalid,

    /// <summary>The person or deal does not exist, or is someone else's.</summary>
    NotFound,
}

/// <summary>A validation problem, as codes the UI words in the user's language.</summary>
public sealed record ContactError(ContactField Field, ContactErrorKind Kind, string? Value = null);

public sealed record SaveResult(int? Id, IReadOnlyList<ContactError> Errors)
{
    public bool Succeeded => Id is not null;

    public static SaveResult Failed(params ContactError[] errors) => new(null, errors);
}
