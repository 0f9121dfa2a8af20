using System.Security.Claims;
using MailTracker.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MailTracker.Web.Components.Account;

/// <summary>
/// Checks the sign-in cookie against the database on every request: a deactivated user, or a cookie whose
/// security stamp is out of date (password changed, role changed, deactivated), is signed out at once rather
/// than after Identity's usual 30-minute revalidation. One primary-key lookup per request.
/// </summary>
internal static class ActiveUserCookieValidator
{
    /// <summary>Runs before <paramref name="next"/> (Identity's own security stamp validator, which refreshes the principal).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context, Func<CookieValidatePrincipalContext, Task> next)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        if (userId is null)
        {
            await RejectAsync(context);
            return;
        }

        var contextFactory = services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>();
        await using (var db = await contextFactory.CreateDbContextAsync(context.HttpContext.RequestAborted))
        {
            var current = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.IsActive, u.SecurityStamp })
                .SingleOrDefaultAsync(context.HttpContext.RequestAborted);
            if (current is not { IsActive: true } || current.SecurityStamp != stamp)
            {
                await RejectAsync(context);
                return;
            }
        }

        await next(context);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
