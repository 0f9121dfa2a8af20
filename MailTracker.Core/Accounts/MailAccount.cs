namespace MailTracker.Core.Accounts;

public enum MailSecurity
{
    None = 0,
    StartTls = 1,
    SslTls = 2,
}

/// <summary>
/// A user's connected mailbox. The sandbox account talks to the built-in mail server; a real one
/// carries SMTP and IMAP settings with passwords protected by ASP.NET Core Data Protection.
/// </summary>
public class MailAccount
{
    public int Id { get; set; }

    public required string OwnerId { get; set; }

    public required string EmailAddress { get; set; }

    public string DisplayName { get; set; } = "";

    /// <summary>True for the built-in local mail sandbox; host and port then come from the sandbox options.</summary>
    public bool IsSandbox { get; set; }

    public string SmtpHost { get; set; } = "";
    public int SmtpPort { get; set; }
    public MailSecurity SmtpSecurity { get; set; }
    public string SmtpUsername { get; set; } = "";
    public string? SmtpPasswordProtected { get; set; }

    public string ImapHost { get; set; } = "";
    public int ImapPort { get; set; }
    public MailSecurity ImapSecurity { get; set; }
    public string ImapUsername { get; set; } = "";
    public string? ImapPasswordProtected { get; set; }

    /// <summary>Append the sender's copy to the IMAP Sent folder after sending (off for providers that do it themselves).</summary>
    public bool AppendToSentFolder { get; set; } = true;

    public DateTime CreatedAt { get; set; }
}
