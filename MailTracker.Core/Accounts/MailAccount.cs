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

    /// <summary>When a real mailbox was connected; mail sent before that is not copied into its Sent folder.</summary>
    public DateTime? ConnectedAt { get; set; }

    /// <summary>
    /// The app instance whose sync worker keeps this mailbox up to date, so that several instances on one database never
    /// sync it twice; the lease runs out at <see cref="SyncLeaseUntil"/> unless its holder renews it.
    /// </summary>
    public string? SyncLeaseHolder { get; set; }

    public DateTime? SyncLeaseUntil { get; set; }

    /// <summary>A real mailbox whose IMAP side the sync worker keeps up to date.</summary>
    public bool SyncsOverImap => !IsSandbox && ImapHost.Length > 0 && ImapPasswordProtected is not null;

    /// <summary>Points this mailbox at a real server. The settings must have been tested; the passwords come protected.</summary>
    public void Connect(MailboxSettings settings, string? smtpPasswordProtected, string imapPasswordProtected, DateTime now)
    {
        IsSandbox = false;
        EmailAddress = settings.EmailAddress.Trim();
        SmtpHost = settings.SmtpHost.Trim();
        SmtpPort = settings.SmtpPort;
        SmtpSecurity = settings.SmtpSecurity;
        SmtpUsername = smtpPasswordProtected is null ? "" : settings.EffectiveSmtpUsername;
        SmtpPasswordProtected = smtpPasswordProtected;
        ImapHost = settings.ImapHost.Trim();
        ImapPort = settings.ImapPort;
        ImapSecurity = settings.ImapSecurity;
        ImapUsername = settings.EffectiveImapUsername;
        ImapPasswordProtected = imapPasswordProtected;
        AppendToSentFolder = settings.AppendToSentFolder;
        ConnectedAt = now;
    }

    /// <summary>Back to the built-in sandbox: the server settings and passwords are forgotten, the mail stays.</summary>
    public void Disconnect(string sandboxAddress)
    {
        IsSandbox = true;
        EmailAddress = sandboxAddress;
        SmtpHost = "";
        SmtpPort = 0;
        SmtpSecurity = MailSecurity.None;
        SmtpUsername = "";
        SmtpPasswordProtected = null;
        ImapHost = "";
        ImapPort = 0;
        ImapSecurity = MailSecurity.None;
        ImapUsername = "";
        ImapPasswordProtected = null;
        AppendToSentFolder = true;
        ConnectedAt = null;
    }
}
