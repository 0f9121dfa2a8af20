using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;

namespace MailTracker.Core.Accounts.OAuth;

/// <summary>Tokens as a provider issued them; <see cref="ExpiresAt"/> is on this app's clock.</summary>
public sealed record OAuthTokens(string AccessToken, string? RefreshToken, DateTime ExpiresAt, string? IdentityToken);

/// <summary>
/// A token endpoint's answer: tokens, or why not. <see cref="Rejected"/> means the grant itself is dead (revoked, expired,
/// the password changed: <c>invalid_grant</c>) and only the user can mend it; otherwise the failure is worth a retry.
/// </summary>
public sealed record OAuthTokenResult(OAuthTokens? Tokens, bool Rejected, string? Error)
{
    public static OAuthTokenResult Ok(OAuthTokens tokens) => new(tokens, false, null);
}

/// <summary>The authorization request's secrets, kept by the browser's round trip (state) and by us (the PKCE verifier).</summary>
public sealed record AuthorizationRequest(string Url, string State, string CodeVerifier);

/// <summary>
/// The OAuth 2.0 client side (RFC 6749 authorization code grant with PKCE, RFC 7636; refresh; RFC 7009 revocation) through
/// Duende.IdentityModel's maintained request builders, so no request or response is written by hand here.
/// </summary>
public sealed class OAuthTokenClient(IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "MailboxOAuth";

    public static AuthorizationRequest CreateAuthorizationRequest(MailboxOAuthProvider provider, string redirectUri, string? loginHint)
    {
        var state = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var verifier = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var url = new RequestUrl(provider.AuthorizationEndpoint).CreateAuthorizeUrl(
            clientId: provider.ClientId,
            responseType: "code",
            scope: provider.Scopes,
            redirectUri: redirectUri,
            state: state,
            loginHint: string.IsNullOrWhiteSpace(loginHint) ? null : loginHint,
            codeChallenge: challenge,
            codeChallengeMethod: "S256",
            extra: new Parameters(provider.ExtraAuthorizeParameters));
        return new AuthorizationRequest(url, state, verifier);
    }

    public async Task<OAuthTokenResult> RedeemCodeAsync(MailboxOAuthProvider provider, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        var response = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = provider.TokenEndpoint,
            ClientId = provider.ClientId,
            ClientSecret = provider.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Code = code,
            RedirectUri = redirectUri,
            CodeVerifier = codeVerifier,
        }, cancellationToken);
        return ToResult(response, null);
    }

    public async Task<OAuthTokenResult> RefreshAsync(MailboxOAuthProvider provider, string refreshToken, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        var response = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = provider.TokenEndpoint,
            ClientId = provider.ClientId,
            ClientSecret = provider.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = refreshToken,
        }, cancellationToken);
        // Providers that do not rotate refresh tokens (Google) answer without one: the old one stays good.
        return ToResult(response, refreshToken);
    }

    /// <summary>Revokes the refresh token where the provider offers RFC 7009; true when it said yes (or has no endpoint to ask).</summary>
    public async Task<bool> RevokeAsync(MailboxOAuthProvider provider, string refreshToken, CancellationToken cancellationToken)
    {
        if (provider.RevocationEndpoint is null)
        {
            return true;
        }

        using var http = httpClients.CreateClient(HttpClientName);
        var response = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = provider.RevocationEndpoint,
            ClientId = provider.ClientId,
            ClientSecret = provider.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = refreshToken,
            TokenTypeHint = "refresh_token",
        }, cancellationToken);
        return !response.IsError;
    }

    /// <summary>
    /// The mailbox address from the ID token. It came straight from the token endpoint over the connection we opened, so
    /// (OpenID Connect Core 3.1.3.7) its issuer is known without checking a signature; we only read its claims.
    /// </summary>
    public static string? EmailFrom(string? identityToken)
    {
        var parts = identityToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64UrlTextEncoder.Decode(parts[1]));
            foreach (var name in new[] { "email", "preferred_username", "upn" })
            {
                if (claims.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Contains('@', StringComparison.Ordinal))
                {
                    return value.GetString();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }

        return null;
    }

    private OAuthTokenResult ToResult(TokenResponse response, string? previousRefreshToken)
    {
        if (response.IsError)
        {
            var rejected = response.ErrorType == ResponseErrorType.Protocol && response.Error is "invalid_grant" or "unauthorized_client" or "invalid_client";
            var error = response.ErrorType == ResponseErrorType.Protocol
                ? $"{response.Error}{(string.IsNullOrWhiteSpace(response.ErrorDescription) ? "" : ": " + response.ErrorDescription)}"
                : response.Error ?? "The token endpoint could not be reached.";
            return new OAuthTokenResult(null, rejected, error);
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            return new OAuthTokenResult(null, false, "The token endpoint answered without an access token.");
        }

        var lifetime = response.ExpiresIn > 0 ? response.ExpiresIn : 3600;
        var expiresAt = time.GetUtcNow().UtcDateTime.AddSeconds(lifetime);
        return OAuthTokenResult.Ok(new OAuthTokens(response.AccessToken, response.RefreshToken ?? previousRefreshToken, expiresAt, response.IdentityToken));
    }
}
