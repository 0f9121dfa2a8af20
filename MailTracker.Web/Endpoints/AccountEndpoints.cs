using System.Security.Claims;
using MailTracker.Core.Accounts;
using MailTracker.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace MailTracker.Web.Endpoints;

/// <summary>Form posts of the signed-in user: sign out, and the language choice (which needs a fresh page).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Account/Logout", LogoutAsync);
        app.MapPost("/preferences/culture", SetCultureAsync);
        return app;
    }

    /// <summary>Signs out and returns to the sign-in page.</summary>
    internal static async Task<RedirectHttpResult> LogoutAsync(SignInManager<AppUser> signInManager)
    {
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("~/Account/Login");
    }

    /// <summary>Stores the user's language and sets the culture cookie, then reloads the page they were on.</summary>
    internal static async Task<RedirectHttpResult> SetCultureAsync(
        [FromForm] string culture, [FromForm] string? returnUrl, HttpContext context, UserManager<AppUser> userManager)
    {
        culture = SupportedCultures.Normalise(culture);
        var user = await userManager.FindByIdAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "");
        if (user is not null)
        {
            user.Culture = culture;
            await userManager.UpdateAsync(user);
        }

        WriteCultureCookie(context, culture);
        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
    }

    public static void WriteCultureCookie(HttpContext context, string culture) =>
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
