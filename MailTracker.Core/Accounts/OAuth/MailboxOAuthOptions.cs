using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Accounts.OAuth;

/// <summary>
/// The <c>Mailboxes</c> section: the OAuth 2.0 apps an operator registered with mail providers. A provider whose
/// <c>ClientId</c> is empty is off (no button). Google and Microsoft 365 need only the client id and secret (and the
/// tenant for Microsoft); <c>Generic</c> names every endpoint and server itself.
/// </summary>
public sealed class MailboxOAuthOptions
{
    public const string Section = "Mailboxes";

    public OAuthProviderOptions Google { get; set; } = new();

    public OAuthProviderOptions Microsoft { get; set; } = new();

    public OAuthProviderOptions Generic { get; set; } = new();

    /// <summary>An access token this close to its expiry is renewed before use.</summary>
    [Range(0, 3600)]
    public int RefreshBeforeExpirySeconds { get; set; } = 300;

    /// <summary>Errors for each enabled provider that lacks something; empty when all is well. Each message names the key.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, provider) in new[] { ("Google", Google), ("Microsoft", Microsoft), ("Generic", Generic) })
        {
            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(provider.ClientSecret))
            {
                yield return $"{Section}:{name}:ClientSecret is required when {Section}:{name}:ClientId is set.";
            }

            if (name != "Generic")
            {
                continue;
            }

            foreach (var (key, value) in new[] { ("AuthorizationEndpoint", provider.AuthorizationEndpoint), ("TokenEndpoint", provider.TokenEndpoint) })
            {
                if (!IsHttpUrl(value))
                {
                    yield return $"{Section}:Generic:{key} must be an absolute http:// or https:// URL when {Section}:Generic:ClientId is set.";
                }
            }

            if (!string.IsNullOrWhiteSpace(provider.RevocationEndpoint) && !IsHttpUrl(provider.RevocationEndpoint))
            {
                yield return $"{Section}:Generic:RevocationEndpoint must be an absolute http:// or https:// URL, or empty.";
            }

            if (string.IsNullOrWhiteSpace(provider.Scopes))
            {
                yield return $"{Section}:Generic:Scopes is required when {Section}:Generic:ClientId is set (e.g. \"openid email offline_access imap smtp\").";
            }

            if (string.IsNullOrWhiteSpace(provider.ImapHost) || provider.ImapPort is < 1 or > 65535)
            {
                yield return $"{Section}:Generic:ImapHost and {Section}:Generic:ImapPort (1–65535) are required when {Section}:Generic:ClientId is set.";
            }

            if (string.IsNullOrWhiteSpace(provider.SmtpHost) || provider.SmtpPort is < 1 or > 65535)
            {
                yield return $"{Section}:Generic:SmtpHost and {Section}:Generic:SmtpPort (1–65535) are required when {Section}:Generic:ClientId is set.";
            }
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>One provider's app registration; for Google and Microsoft only the credentials (and tenant) are needed.</summary>
public sealed class OAuthProviderOptions
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Microsoft only: the directory (tenant) id, or <c>organizations</c> for any work account (the default).</summary>
    public string TenantId { get; set; } = "organizations";

    /// <summary>Generic only: the name on the button, <c>Connect ‹DisplayName›</c>.</summary>
    public string DisplayName { get; set; } = "";

    public string AuthorizationEndpoint { get; set; } = "";

    public string TokenEndpoint { get; set; } = "";

    /// <summary>RFC 7009 token revocation; empty when the provider has none.</summary>
    public string RevocationEndpoint { get; set; } = "";

    /// <summary>Space-separated; must include whatever yields a refresh token (<c>offline_access</c>) and an ID token with the address (<c>openid email</c>).</summary>
    public string Scopes { get; set; } = "";

    public string ImapHost { get; set; } = "";

    public int ImapPort { get; set; } = 993;

    public MailSecurity ImapSecurity { get; set; } = MailSecurity.SslTls;

    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; } = 465;

    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.SslTls;

    /// <summary>Whether the provider files sent mail in the Sent folder itself (then MailTracker does not append a copy).</summary>
    public bool ProviderSavesSentMail { get; set; }
}

/// <summary>Stops the app at start when an enabled provider lacks something, with one message per missing key.</summary>
internal sealed class MailboxOAuthOptionsValidation : Microsoft.Extensions.Options.IValidateOptions<MailboxOAuthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, MailboxOAuthOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
