using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// A small OAuth 2.0 authorization server for the tests, built on OpenIddict, on a free loopback port: authorization
/// code flow with PKCE required, refresh tokens (rotated), RFC 7009 revocation and RFC 7662 introspection (which Dovecot's
/// <c>oauth2</c> passdb asks). One confidential client is registered; its consent page signs in as <see cref="User"/>.
/// </summary>
public sealed class OAuthServer : IAsyncDisposable
{
    public const string ClientId = "mailtracker-test";
    public const string ClientSecret = "mailtracker-test-secret";
    public const string Scopes = "openid email offline_access imap smtp";

    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-oauth-").FullName;
    private WebApplication? _app;
    private int _refreshGrants;
    private int _codeGrants;

    public OAuthServer() => Port = FreePort.Next();

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string AuthorizationEndpoint => $"{BaseUrl}/connect/authorize";

    public string TokenEndpoint => $"{BaseUrl}/connect/token";

    public string RevocationEndpoint => $"{BaseUrl}/connect/revoke";

    /// <summary>Introspection with the client's credentials in the URL, as Dovecot's <c>introspection_url</c> takes them.</summary>
    public string IntrospectionUrlWithCredentials => $"http://{ClientId}:{ClientSecret}@127.0.0.1:{Port}/connect/introspect";

    /// <summary>Who the consent page signs in as (the mailbox address; also the token's subject).</summary>
    public string User { get; set; } = "";

    /// <summary>How many times a refresh token was redeemed.</summary>
    public int RefreshGrants => Volatile.Read(ref _refreshGrants);

    /// <summary>How many times an authorization code was redeemed.</summary>
    public int CodeGrants => Volatile.Read(ref _codeGrants);

    /// <summary>Starts the server with the client allowed to come back to <paramref name="redirectUri"/>.</summary>
    public async Task StartAsync(string redirectUri)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _folder, EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        builder.Services.AddDbContext<OAuthServerContext>(o => o.UseSqlite($"Data Source={Path.Combine(_folder, "oauth.db")}").UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<OAuthServerContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(OpenIddictConstants.Scopes.Email, OpenIddictConstants.Scopes.OfflineAccess, "imap", "smtp");
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                // Short opaque tokens, resolved by introspection, as Google issues them; Dovecot's submission service
                // takes AUTH lines of 512 bytes at most, which a JWT in XOAUTH2 would exceed.
                o.UseReferenceAccessTokens().UseReferenceRefreshTokens();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        _app = builder.Build();
        _app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)Authorize);
        _app.MapPost("/connect/token", (Delegate)TokenAsync);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OAuthServerContext>().Database.EnsureCreatedAsync();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "MailTracker",
                RedirectUris = { new Uri(redirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Email, Permissions.Prefixes.Scope + "imap", Permissions.Prefixes.Scope + "smtp",
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }

        await _app.StartAsync();

        // The first request builds OpenIddict's pipeline; pay for it here rather than in a test's browser wait.
        using var http = new HttpClient();
        using var warmUp = await http.GetAsync(AuthorizationEndpoint);
    }

    /// <summary>What a user does at the provider's security page: every token of theirs is revoked (refresh and access).</summary>
    public Task RevokeEverythingAsync(string user) => RevokeAsync(user, accessTokensOnly: false);

    /// <summary>Only the user's access tokens stop working, as when they expire; the refresh token stays good.</summary>
    public Task ExpireAccessTokensAsync(string user) => RevokeAsync(user, accessTokensOnly: true);

    /// <summary>Whether the user still has a refresh token that would be honoured (not revoked, not redeemed).</summary>
    public async Task<bool> HasLiveRefreshTokenAsync(string user)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        await foreach (var token in tokens.FindBySubjectAsync(user))
        {
            if (await tokens.GetTypeAsync(token) == TokenTypeIdentifiers.RefreshToken && await tokens.HasStatusAsync(token, Statuses.Valid))
            {
                return true;
            }
        }

        return false;
    }

    private async Task RevokeAsync(string user, bool accessTokensOnly)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        await foreach (var token in tokens.FindBySubjectAsync(user))
        {
            if (!accessTokensOnly || await tokens.GetTypeAsync(token) == TokenTypeIdentifiers.AccessToken)
            {
                await tokens.TryRevokeAsync(token);
            }
        }
    }

    // The consent page: GET shows it, POST is the user's answer (every request parameter travels in hidden fields).
    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var fields = string.Concat(request.GetParameters().Select(p =>
                $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode((string?)p.Value)}\">"));
            return Results.Content($"""
                <!doctype html><html lang="en"><head><title>Local OAuth provider</title></head><body>
                <h1>Allow MailTracker to use your mailbox?</h1>
                <p>Signed in as {WebUtility.HtmlEncode(User)}. MailTracker asks for: {WebUtility.HtmlEncode(request.Scope)}</p>
                <form method="post" action="/connect/authorize">{fields}
                <button type="submit" name="decision" value="allow">Allow access</button>
                <button type="submit" name="decision" value="deny">Deny</button>
                </form></body></html>
                """, "text/html");
        }

        if (context.Request.Form["decision"] != "allow")
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, User).SetClaim(Claims.Email, User).SetClaim(Claims.Name, User);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim => claim.Type is Claims.Email or Claims.Name
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    // OpenIddict has checked the code (and its PKCE verifier) or the refresh token; the same identity gets new tokens.
    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is null)
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        if (request.IsRefreshTokenGrantType())
        {
            Interlocked.Increment(ref _refreshGrants);
        }
        else
        {
            Interlocked.Increment(ref _codeGrants);
        }

        return Results.SignIn(result.Principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp folders.
        }
    }

    private sealed class OAuthServerContext(DbContextOptions<OAuthServerContext> options) : DbContext(options);
}
