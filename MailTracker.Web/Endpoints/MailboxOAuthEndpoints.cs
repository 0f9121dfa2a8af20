using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailTracker.Web.Endpoints;

/// <summary>
/// The browser's half of Connect ‹provider›: a redirect to the provider's consent page, and the callback it returns to.
/// The PKCE verifier and the state travel in a short-lived cookie protected by Data Protection, bound to the signed-in
/// user, so an answer is accepted only in the browser session that asked, once, within ten minutes.
/// </summary>
public static class MailboxOAuthEndpoints
{
    /// <summary>What operators register as the redirect URI with each provider (under the app's public address).</summary>
    public const string CallbackPath = "/settings/email-integration/oauth/callback";

    private const string StartPath = "/settings/email-integration/oauth";
    private const string CookieName = "MailTracker.MailboxOAuth";
    private static readonly TimeSpan RoundTripLimit = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder MapMailboxOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(StartPath).RequireAuthorization();
        group.MapGet("/callback", CallbackAsync);
        group.MapGet("/{provider}", Start);
        return app;
    }

    /// <summary>Where the page's Connect and Reconnect buttons go.</summary>
    public static string StartUrl(string provider) => $"{StartPath.TrimStart('/')}/{Uri.EscapeDataString(provider)}";

    /// <summary>Sends the browser to the provider's consent page (404 for a provider that is not configured).</summary>
    internal static Results<RedirectHttpResult, NotFound> Start(string provider, string? loginHint, HttpContext context,
        MailboxOAuthFlow flow, IDataProtectionProvider protection, TimeProvider time)
    {
        var request = flow.Begin(provider, RedirectUri(context), loginHint);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var pending = new PendingRequest(provider, request.State, request.CodeVerifier, UserId(context), time.GetUtcNow().UtcDateTime);
        context.Response.Cookies.Append(CookieName, Protector(protection).Protect(JsonSerializer.Serialize(pending)), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            // Lax: the provider brings the browser back with a top-level GET, which Lax cookies accompany.
            SameSite = SameSiteMode.Lax,
            Path = StartPath,
            MaxAge = RoundTripLimit,
        });
        return TypedResults.Redirect(request.Url);
    }

    /// <summary>The provider's answer: tokens for the code, both servers tested, then back to the settings page saying how it went.</summary>
    internal static async Task<RedirectHttpResult> CallbackAsync(string? code, string? state, string? error, HttpContext context,
        MailboxOAuthFlow flow, IDataProtectionProvider protection, TimeProvider time)
    {
        var pending = Read(context, protection);
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = StartPath });
        if (pending is null || state is null || pending.UserId != UserId(context)
            || time.GetUtcNow().UtcDateTime - pending.IssuedAt > RoundTripLimit
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
        {
            return Back(OAuthConnectFailure.InvalidState, null);
        }

        if (error is not null || string.IsNullOrEmpty(code))
        {
            return Back(OAuthConnectFailure.Denied, null);
        }

        var result = await flow.CompleteAsync(pending.UserId, pending.Provider, code, RedirectUri(context), pending.CodeVerifier, context.RequestAborted);
        return result.Connected
            ? TypedResults.LocalRedirect($"~/settings/email-integration?oauth=connected&provider={Uri.EscapeDataString(pending.Provider)}")
            : Back(result.Failure!.Value, result.Test);
    }

    private static RedirectHttpResult Back(OAuthConnectFailure failure, ConnectionTestResult? test)
    {
        var query = $"oauth={failure}";
        if (test?.Smtp is { } smtp)
        {
            query += $"&smtp={smtp.Kind}";
        }

        if (test?.Imap is { } imap)
        {
            query += $"&imap={imap.Kind}";
        }

        return TypedResults.LocalRedirect($"~/settings/email-integration?{query}");
    }

    private static string RedirectUri(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{CallbackPath}";

    private static string UserId(HttpContext context) => context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("MailTracker.MailboxOAuth.Request.v1");

    private static PendingRequest? Read(HttpContext context, IDataProtectionProvider protection)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PendingRequest>(Protector(protection).Unprotect(value));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }

    private sealed record PendingRequest(string Provider, string State, string CodeVerifier, string UserId, DateTime IssuedAt);
}
