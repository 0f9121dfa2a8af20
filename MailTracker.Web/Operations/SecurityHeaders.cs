using System.Security.Cryptography;

namespace MailTracker.Web.Operations;

/// <summary>
/// Security headers on every answer, set just before it starts so error and re-executed pages carry them too.
/// App pages get a Content-Security-Policy that Blazor Server and MudBlazor run under: scripts only from the app
/// itself plus the one inline import map (by a per-request nonce), inline styles (MudBlazor's theme and style
/// attributes), images from anywhere (a message body's images, once the reader asks, inherit this policy in their
/// srcdoc frame, which narrows it further), frames only from the app (the sandbox viewer), and no framing of the app.
/// An endpoint that sets its own policy (the sandbox frame's HTML) keeps it. Tracking answers (<c>/t/…</c>) are never
/// stored and never set a cookie: a mail client must not be handed one, nor the sender's sign-in cookie renewed.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    private const string NonceKey = "MailTracker.CspNonce";

    private const string TrackingPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>This request's script nonce, for the inline import map.</summary>
    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";

    /// <summary>The policy for app pages, with this request's nonce.</summary>
    public static string PagePolicy(string nonce) =>
        "default-src 'self'; "
        + $"script-src 'self' 'nonce-{nonce}'; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob: https: http:; "
        + "font-src 'self' data:; "
        + "connect-src 'self'; "
        + "frame-src 'self'; "
        + "frame-ancestors 'none'; "
        + "form-action 'self'; "
        + "base-uri 'self'; "
        + "object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var tracking = IsTracking(context.Request.Path);
        var nonce = tracking ? "" : Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var response = context.Response;
        response.OnStarting(() =>
        {
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (tracking)
            {
                headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.SetCookie);
                if (!headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
                {
                    headers.CacheControl = "no-store";
                }

            }

            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = tracking ? TrackingPolicy : PagePolicy(nonce);
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsTracking(PathString path) => path.StartsWithSegments("/t");
}
