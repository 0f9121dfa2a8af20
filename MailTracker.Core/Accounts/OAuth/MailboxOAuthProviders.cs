using Microsoft.Extensions.Options;

namespace MailTracker.Core.Accounts.OAuth;

/// <summary>A mail provider reachable through OAuth 2.0, with everything the flow and the mail servers need.</summary>
public sealed record MailboxOAuthProvider(
    string Key,
    string DisplayName,
    string ClientId,
    string ClientSecret,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string? RevocationEndpoint,
    string Scopes,
    IReadOnlyDictionary<string, string> ExtraAuthorizeParameters,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    bool ProviderSavesSentMail);

/// <summary>
/// The providers the operator enabled (<see cref="MailboxOAuthOptions"/>), Google and Microsoft 365 with their published
/// endpoints, mail servers and the least scopes IMAP and SMTP need, and a generic one described entirely by configuration.
/// </summary>
public sealed class MailboxOAuthProviders(IOptions<MailboxOAuthOptions> options)
{
    public const string Google = "google";
    public const string Microsoft = "microsoft";
    public const string Generic = "generic";

    /// <summary>The enabled providers, in the order their buttons appear.</summary>
    public IReadOnlyList<MailboxOAuthProvider> Enabled => All().ToList();

    public MailboxOAuthProvider? Find(string? key) => All().FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<MailboxOAuthProvider> All()
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.Google.ClientId))
        {
            // access_type=offline asks for a refresh token; prompt=consent gives a new one even when the user agreed before.
            yield return new MailboxOAuthProvider(Google, "Google", o.Google.ClientId, o.Google.ClientSecret,
                "https://accounts.google.com/o/oauth2/v2/auth",
                "https://oauth2.googleapis.com/token",
                "https://oauth2.googleapis.com/revoke",
                "openid email https://mail.google.com/",
                new Dictionary<string, string> { ["access_type"] = "offline", ["prompt"] = "consent" },
                "imap.gmail.com", 993, MailSecurity.SslTls, "smtp.gmail.com", 465, MailSecurity.SslTls, ProviderSavesSentMail: true);
        }

        if (!string.IsNullOrWhiteSpace(o.Microsoft.ClientId))
        {
            var tenant = string.IsNullOrWhiteSpace(o.Microsoft.TenantId) ? "organizations" : Uri.EscapeDataString(o.Microsoft.TenantId.Trim());
            // Microsoft's identity platform has no RFC 7009 revocation endpoint: disconnecting forgets the tokens.
            yield return new MailboxOAuthProvider(Microsoft, "Microsoft 365", o.Microsoft.ClientId, o.Microsoft.ClientSecret,
                $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
                $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
                null,
                "openid email offline_access https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send",
                new Dictionary<string, string>(),
                "outlook.office365.com", 993, MailSecurity.SslTls, "smtp.office365.com", 587, MailSecurity.StartTls, ProviderSavesSentMail: true);
        }

        if (!string.IsNullOrWhiteSpace(o.Generic.ClientId))
        {
            var g = o.Generic;
            yield return new MailboxOAuthProvider(Generic, string.IsNullOrWhiteSpace(g.DisplayName) ? "OAuth" : g.DisplayName.Trim(), g.ClientId, g.ClientSecret,
                g.AuthorizationEndpoint, g.TokenEndpoint, string.IsNullOrWhiteSpace(g.RevocationEndpoint) ? null : g.RevocationEndpoint,
                g.Scopes, new Dictionary<string, string>(),
                g.ImapHost, g.ImapPort, g.ImapSecurity, g.SmtpHost, g.SmtpPort, g.SmtpSecurity, g.ProviderSavesSentMail);
        }
    }
}
