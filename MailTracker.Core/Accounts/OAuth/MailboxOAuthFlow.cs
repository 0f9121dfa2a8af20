using Microsoft.Extensions.Logging;

namespace MailTracker.Core.Accounts.OAuth;

/// <summary>Why a Connect ‹provider› round trip did not connect the mailbox; the settings page words each.</summary>
public enum OAuthConnectFailure
{
    /// <summary>The user declined at the provider, or the provider answered with an error.</summary>
    Denied = 0,

    /// <summary>The answer does not belong to a request we made (state missing, wrong, or too old).</summary>
    InvalidState = 1,

    /// <summary>The token endpoint refused the code or could not be reached.</summary>
    TokenExchange = 2,

    /// <summary>The provider issued no refresh token or named no mailbox address.</summary>
    Incomplete = 3,

    /// <summary>The tokens work at the provider, but the IMAP or SMTP server refused them.</summary>
    ConnectionTest = 4,
}

/// <summary>The outcome of a Connect ‹provider› round trip.</summary>
public sealed record OAuthConnectResult(OAuthConnectFailure? Failure, string? EmailAddress, ConnectionTestResult? Test)
{
    public bool Connected => Failure is null;
}

/// <summary>
/// Connecting a mailbox through an OAuth 2.0 provider: the authorization request (code flow with PKCE, the provider's
/// least scopes for IMAP and SMTP, offline access), then the code for tokens, a test of both servers with the access
/// token, and only then saving. Tokens that did not pass the test are revoked, not kept.
/// </summary>
public sealed partial class MailboxOAuthFlow(
    MailboxOAuthProviders providers,
    OAuthTokenClient tokens,
    MailboxConnectionTester tester,
    MailboxConnections connections,
    ILogger<MailboxOAuthFlow> logger)
{
    public AuthorizationRequest? Begin(string providerKey, string redirectUri, string? loginHint) =>
        providers.Find(providerKey) is { } provider ? OAuthTokenClient.CreateAuthorizationRequest(provider, redirectUri, loginHint) : null;

    public async Task<OAuthConnectResult> CompleteAsync(string userId, string providerKey, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        var provider = providers.Find(providerKey);
        if (provider is null)
        {
            return new OAuthConnectResult(OAuthConnectFailure.InvalidState, null, null);
        }

        OAuthTokenResult redeemed;
        try
        {
            redeemed = await tokens.RedeemCodeAsync(provider, code, redirectUri, codeVerifier, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            redeemed = new OAuthTokenResult(null, false, ex.Message);
        }

        if (redeemed.Tokens is not { } issued)
        {
            LogExchangeFailed(provider.Key, redeemed.Error ?? "");
            return new OAuthConnectResult(OAuthConnectFailure.TokenExchange, null, null);
        }

        var email = OAuthTokenClient.EmailFrom(issued.IdentityToken);
        if (email is null || issued.RefreshToken is null)
        {
            LogIncomplete(provider.Key, email is not null, issued.RefreshToken is not null);
            await RevokeQuietlyAsync(provider, issued, cancellationToken);
            return new OAuthConnectResult(OAuthConnectFailure.Incomplete, email, null);
        }

        var servers = new MailboxSettings
        {
            EmailAddress = email,
            ImapHost = provider.ImapHost,
            ImapPort = provider.ImapPort,
            ImapSecurity = provider.ImapSecurity,
            SmtpHost = provider.SmtpHost,
            SmtpPort = provider.SmtpPort,
            SmtpSecurity = provider.SmtpSecurity,
        };
        var login = new TokenLogin(email, issued.AccessToken);
        var test = await tester.TestAsync(servers, login, login, cancellationToken);
        if (!test.Succeeded)
        {
            await RevokeQuietlyAsync(provider, issued, cancellationToken);
            return new OAuthConnectResult(OAuthConnectFailure.ConnectionTest, email, test);
        }

        await connections.ConnectOAuthAsync(userId, provider, email, issued, cancellationToken);
        LogConnected(provider.Key);
        return new OAuthConnectResult(null, email, test);
    }

    private async Task RevokeQuietlyAsync(MailboxOAuthProvider provider, OAuthTokens issued, CancellationToken cancellationToken)
    {
        if (issued.RefreshToken is null)
        {
            return;
        }

        try
        {
            await tokens.RevokeAsync(provider, issued.RefreshToken, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            LogRevokeFailed(ex, provider.Key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connect {Provider}: the token endpoint did not redeem the code ({Error})")]
    private partial void LogExchangeFailed(string provider, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connect {Provider}: incomplete answer (address: {HasEmail}, refresh token: {HasRefreshToken}); check the scopes")]
    private partial void LogIncomplete(string provider, bool hasEmail, bool hasRefreshToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connect {Provider}: mailbox connected")]
    private partial void LogConnected(string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connect {Provider}: tokens that failed the test could not be revoked")]
    private partial void LogRevokeFailed(Exception exception, string provider);
}
