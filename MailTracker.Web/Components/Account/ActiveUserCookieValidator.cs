using System.Security.Claims;
using MailTracker.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MailTracker.Web.Components.Account;

/// <summary>
/// Checks the sign-in cookie against the database on every request that needs a signed-in user: a deactivated user,
/// or a cookie whose security stamp is out of date (password changed, role changed, deactivated), is signed out at
/// once rather than after Identity's usual 30-minute revalidation. Anonymous endpoints (static files, tracking, health)
/// skip the lookup: nothing there depends on the account being current.
/// </summary>
internal static class ActiveUserCookieValidator
{
    /// <summary>Runs before <paramref name="next"/> (Identity's own security stamp validator, which refreshes the principal).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context, Func<CookieValidatePrincipalContext, Task> next)
    {
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        if (userId is null || !await services.GetRequiredService<TeamMembers>().IsSignInCurrentAsync(userId, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await next(context);
    }
}
