using System.Security.Claims;
using MailTracker.Core.Sandbox;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailTracker.Web.Endpoints;

/// <summary>Serves a sandbox delivery's HTML into the sandboxed frame of the /sandbox viewer.</summary>
public static class SandboxEndpoints
{
    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/deliveries/{id:long}/html", GetHtmlAsync);
        return app;
    }

    /// <summary>
    /// The mail as delivered, pixel and tracked links included. The response itself is sandboxed by CSP
    /// (opaque origin, no script), so even opened directly it cannot act as the app or send the sign-in
    /// cookie with its image requests. Only the sender of the delivery can read it.
    /// </summary>
    internal static async Task<Results<ContentHttpResult, NotFound>> GetHtmlAsync(long id, HttpContext context, SandboxMailbox mailbox)
    {
        var html = await mailbox.GetHtmlAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, id, context.RequestAborted);
        if (html is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.ContentSecurityPolicy = "sandbox allow-popups allow-popups-to-escape-sandbox; script-src 'none'; object-src 'none'";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
