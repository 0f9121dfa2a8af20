namespace MailTracker.Core.Accounts;

/// <summary>What a user types to connect a real mailbox. Passwords travel only as far as the test and the protector.</summary>
public sealed record MailboxSettings
{
    public string EmailAddress { get; init; } = "";

    public string SmtpHost { get; init; } = "";
    public int SmtpPort { get; init; } = 587;
    public MailSecurity SmtpSecurity { get; init; } = MailSecurity.StartTls;

    /// <summary>Empty means the email address.</summary>
    public string SmtpUsername { get; init; } = "";

    /// <summary>Empty means the SMTP server is used without signing in (a relay that trusts the network).</summary>
    public string SmtpPassword { get; init; } = "";

    public string ImapHost { get; init; } = "";
    public int ImapPort { get; init; } = 993;
    public MailSecurity ImapSecurity { get; init; } = MailSecurity.SslTls;

    /// <summary>Empty means the email address.</summary>
    public string ImapUsername { get; init; } = "";

    public string ImapPassword { get; init; } = "";

    /// <summary>Whether MailTracker appends the sender's copy to the IMAP Sent folder (off where the provider does it, e.g. Gmail).</summary>
    public bool AppendToSentFolder { get; init; } = true;

    public string EffectiveSmtpUsername => string.IsNullOrWhiteSpace(SmtpUsername) ? EmailAddress.Trim() : SmtpUsername.Trim();

    public string EffectiveImapUsername => string.IsNullOrWhiteSpace(ImapUsername) ? EmailAddress.Trim() : ImapUsername.Trim();

    /// <summary>Keeps a password out of logs and exception messages if the record is ever printed.</summary>
    public override string ToString() => $"{EmailAddress} smtp={SmtpHost}:{SmtpPort} imap={ImapHost}:{ImapPort}";
}

/// <summary>Host and port pairs of common providers, to fill the form.</summary>
public sealed record MailboxPreset(
    string Name,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    bool ProviderSavesSentMail)
{
    public static readonly IReadOnlyList<MailboxPreset> All =
    [
        // Gmail stores every mail sent through its SMTP server in "[Gmail]/Sent Mail" itself.
        new("Gmail", "smtp.gmail.com", 465, MailSecurity.SslTls, "imap.gmail.com", 993, MailSecurity.SslTls, ProviderSavesSentMail: true),
        // Exchange Online files mail submitted over SMTP in "Sent Items" as well (clients that also append it get duplicates).
        new("Outlook", "smtp-mail.outlook.com", 587, MailSecurity.StartTls, "outlook.office365.com", 993, MailSecurity.SslTls, ProviderSavesSentMail: true),
        new("Fastmail", "smtp.fastmail.com", 465, MailSecurity.SslTls, "imap.fastmail.com", 993, MailSecurity.SslTls, ProviderSavesSentMail: false),
    ];
}
