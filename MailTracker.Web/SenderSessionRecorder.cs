using System.Net;
using System.Security.Claims;
using MailTracker.Core.Sandbox;
using MailTracker.Core.Tracking;
using Microsoft.Extensions.Options;

namespace MailTracker.Web;

/// <summary>
/// Remembers where each signed-in user uses the app from (address and browser), so a tracking hit from the same place
/// is judged the sender's own view. Page loads and the live hub count; tracking, static files and health do not.
/// With the local mail sandbox on, loopback is not remembered: there the sandbox plays the recipient from the same
/// machine and browser as the sender.
/// </summary>
public sealed partial class SenderSessionRecorder(RequestDelegate next, SenderSessions sessions, IOptions<SandboxOptions> sandbox, ILogger<SenderSessionRecorder> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            && context.Connection.RemoteIpAddress is { } address
            && context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent
            && !IsMachinePath(context.Request.Path)
            && !(sandbox.Value.Enabled && IPAddress.IsLoopback(address)))
        {
            try
            {
                await sessions.RememberAsync(userId, address, agent, context.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed note costs one sender's view being judged as a recipient's at worst; the page must still load.
                LogRememberFailed(ex);
            }
        }

        await next(context);
    }

    private static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/t") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/healthz") || System.IO.Path.HasExtension(path.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Remembering a signed-in session failed")]
    private partial void LogRememberFailed(Exception exception);
}
