using System.Security.Claims;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MailTracker.Web.Endpoints;

/// <summary>The anonymous tracking endpoints that recipients' mail clients reach.</summary>
public static class TrackingEndpoints
{
    /// <summary>A 1×1 transparent GIF, 43 bytes.</summary>
    internal static readonly byte[] Pixel =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/t").AllowAnonymous().DisableAntiforgery().WithTags("Tracking");
        group.MapMethods("/o/{token}.gif", [HttpMethods.Get, HttpMethods.Head], OpenPixelAsync).WithName("TrackingPixel");
        group.MapMethods("/c/{token}", [HttpMethods.Get, HttpMethods.Head], LinkClickAsync).WithName("TrackingClick");

        // Anything else under /t/ (an empty or cut token, encoded slashes, dot segments) is a plain 404, never sign-in.
        group.Map("/{**rest}", () => TypedResults.NotFound());
        return app;
    }

    /// <summary>
    /// The open pixel. Contract: always answers the same 43-byte transparent GIF with <c>Cache-Control: no-store</c>,
    /// whatever the token and whatever happens inside; an unknown, malformed or tampered token appends nothing.
    /// A request with a known token (HEAD too, as evidence that is never counted) is answered only after it is
    /// committed to the intake.
    /// </summary>
    internal static async Task<FileContentHttpResult> OpenPixelAsync(
        string token, HttpContext context, TokenIndex tokens, IntakeWriter intake, TrackingHitFactory hits)
    {
        if (TrackingTokenFormat.IsWellFormed(token)
            && hits.MayRecord(context)
            && await tokens.ResolveAsync(token, context.RequestAborted) is { Kind: TrackingKind.Open })
        {
            await intake.AppendAsync(hits.Create(token, IntakeKind.Open, context));
        }

        return PixelResult(context);
    }

    /// <summary>
    /// A tracked link. Contract: redirects only to the URL recorded for this token when the mail was sent; any other
    /// token gets a plain 404 page, never a redirect. A known token's request (HEAD too, as evidence that is never
    /// counted) is committed to the intake before the redirect.
    /// </summary>
    internal static async Task<Results<RedirectHttpResult, ContentHttpResult>> LinkClickAsync(
        string token, HttpContext context, TokenIndex tokens, IntakeWriter intake, TrackingHitFactory hits, IStringLocalizer<Strings> localizer)
    {
        var target = TrackingTokenFormat.IsWellFormed(token) ? await tokens.ResolveAsync(token, context.RequestAborted) : null;
        if (target is not { Kind: TrackingKind.Click, Url: { } stored } || RedirectLocation(stored) is not { } url)
        {
            var title = localizer["Link not found"];
            var text = localizer["This link is not valid. It may have been mistyped or cut short."];
            return TypedResults.Content(
                $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>",
                "text/html; charset=utf-8",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (hits.MayRecord(context))
        {
            await intake.AppendAsync(hits.Create(token, IntakeKind.Click, context));
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Redirect(url);
    }

    /// <summary>
    /// The Location for a stored link: where a browser would have gone from the sender's own copy, in plain ASCII (the
    /// host in its IDNA form, the rest percent-encoded), so no stored character can break the answer or start a header.
    /// Tabs and line breaks inside the URL are dropped as browsers drop them (WHATWG URL standard). Only absolute
    /// http(s) URLs, and the honeypot's <c>about:blank</c>, are ever redirected to; anything else is null.
    /// </summary>
    internal static string? RedirectLocation(string stored)
    {
        var cleaned = stored.Replace("\t", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal)
            .Replace("\n", "", StringComparison.Ordinal).Trim();
        if (cleaned == "about:blank")
        {
            return cleaned;
        }

        if (!Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // AbsoluteUri percent-encodes all but the host; the check stays so nothing unencoded can ever reach the header.
        var ascii = new UriBuilder(uri) { Host = uri.IdnHost }.Uri.AbsoluteUri;
        return ascii.All(c => c is > ' ' and < (char)0x7F) ? ascii : null;
    }

    internal static FileContentHttpResult PixelResult(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.Headers.Expires = "0";
        return TypedResults.File(Pixel, "image/gif");
    }
}

/// <summary>
/// Turns a request into an <see cref="IntakeHit"/>, and limits how much one client address can record. The client
/// address is the real one: forwarded headers are applied before this, from trusted proxies only.
/// </summary>
public sealed class TrackingHitFactory(TimeProvider time, IOptions<TrackingOptions> options)
{
    private readonly System.Threading.RateLimiting.PartitionedRateLimiter<string> _limiter =
        System.Threading.RateLimiting.PartitionedRateLimiter.Create<string, string>(ip =>
            System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(ip, _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.Value.RecordLimitPerMinutePerIp),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    /// <summary>False once a client address has recorded more than the per-minute limit; the endpoints still answer.</summary>
    public bool MayRecord(HttpContext context)
    {
        if (options.Value.RecordLimitPerMinutePerIp == 0)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(LimitKey(context.Connection.RemoteIpAddress));
        return lease.IsAcquired;
    }

    /// <summary>
    /// Whom the limit counts: an IPv4 address, or an IPv6 address's /64, which one host (or one home) can spread its
    /// requests across at will; counting single IPv6 addresses would make the limit (and its memory) unbounded.
    /// </summary>
    private static string LimitKey(System.Net.IPAddress? ip)
    {
        if (ip is null)
        {
            return "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4().ToString();
        }

        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new System.Net.IPAddress(bytes).ToString() + "/64";
    }

    public IntakeHit Create(string token, IntakeKind kind, HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return new IntakeHit(
            kind,
            token,
            null,
            HttpMethods.IsHead(context.Request.Method),
            time.GetUtcNow().UtcDateTime,
            agent.Length == 0 ? null : Core.StoredText.Cut(agent, TrackingHit.MaxStoredUserAgent),
            ClientAddress(context),
            // The sign-in cookie is SameSite=Strict: it arrives only when the sender themselves reaches the URL
            // from the app or the address bar, never from a mail client (or the sandbox) showing the mail.
            context.User.FindFirstValue(ClaimTypes.NameIdentifier),
            null);
    }

    private static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : null;
}
