using MailTracker.Core.Accounts;

namespace MailTracker.Web;

/// <summary>Until the first account exists, every page leads to <c>/setup</c>.</summary>
public sealed class FirstRunRedirect(RequestDelegate next)
{
    private static readonly string[] AlwaysOpen = ["/setup", "/healthz", "/metrics", "/t", "/_framework", "/_content", "/_blazor", "/lib", "/js", "/bench"];

    public async Task InvokeAsync(HttpContext context, FirstRunState firstRun)
    {
        var path = context.Request.Path;
        var open = AlwaysOpen.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) || Path.HasExtension(path.Value);
        if (!open && HttpMethods.IsGet(context.Request.Method) && !await firstRun.HasUsersAsync(context.RequestAborted))
        {
            context.Response.Redirect("/setup");
            return;
        }

        await next(context);
    }
}
