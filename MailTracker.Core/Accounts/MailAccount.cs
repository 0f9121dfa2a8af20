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

    /// <summary>The OAuth 2.0 provider (<c>google</c>, <c>microsoft</c>, <c>generic</c>) when the mailbox signs in with tokens instead of passwords.</summary>
    public string? OAuthProvider { get; set; }

    public string? OAuthRefreshTokenProtected { get; set; }

    public string? OAuthAccessTokenProtected { get; set; }

    public DateTime? OAuthAccessTokenExpiresAt { get; set; }

    /// <summary>
    /// Set when the provider refused the refresh token (revoked, password changed): sync and sending stop, queued mail
    /// stays queued, and the settings page offers Reconnect. The provider's own words.
    /// </summary>
    public string? ReconnectReason { get; set; }

    /// <summary>While set and in the future, one instance is renewing the access token and the others wait for it.</summary>
    public DateTime? TokenRefreshLeaseUntil { get; set; }

    public bool UsesOAuth => OAuthProvider is not null;

    public bool NeedsReconnect => ReconnectReason is not null;

    /// <summary>A real mailbox whose IMAP side the sync worker keeps up to date.</summary>
    public bool SyncsOverImap => !IsSandbox && ImapHost.Length > 0
        && (ImapPasswordProtected is not null || (OAuthRefreshTokenProtected is not null && ReconnectReason is null));

    /// <summary>Points this mailbox at a provider's servers, signing in with OAuth 2.0 tokens that were just tested.</summary>
    public void ConnectOAuth(string provider, string emailAddress, string imapHost, int imapPort, MailSecurity imapSecurity,
        string smtpHost, int smtpPort, MailSecurity smtpSecurity, bool appendToSentFolder, string refreshTokenProtected,
        string accessTokenProtected, DateTime accessTokenExpiresAt, DateTime now)
    {
        Disconnect(emailAddress);
        IsSandbox = false;
        SmtpHost = smtpHost;
        SmtpPort = smtpPort;
        SmtpSecurity = smtpSecurity;
        SmtpUsername = emailAddress;
        ImapHost = imapHost;
        ImapPort = imapPort;
        ImapSecurity = imapSecurity;
        ImapUsername = emailAddress;
        AppendToSentFolder = appendToSentFolder;
        OAuthProvider = provider;
        OAuthRefreshTokenProtected = refreshTokenProtected;
        StoreAccessToken(accessTokenProtected, accessTokenExpiresAt, null);
        ConnectedAt = now;
    }

    /// <summary>A renewed access token (and the refresh token, when the provider rotated it).</summary>
    public void StoreAccessToken(string accessTokenProtected, DateTime expiresAt, string? refreshTokenProtected)
    {
        OAuthAccessTokenProtected = accessTokenProtected;
        OAuthAccessTokenExpiresAt = expiresAt;
        if (refreshTokenProtected is not null)
        {
            OAuthRefreshTokenProtected = refreshTokenProtected;
        }

        ReconnectReason = null;
        TokenRefreshLeaseUntil = null;
    }

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
        OAuthProvider = null;
        OAuthRefreshTokenProtected = null;
        OAuthAccessTokenProtected = null;
        OAuthAccessTokenExpiresAt = null;
        ReconnectReason = null;
        TokenRefreshLeaseUntil = null;
    }
}
