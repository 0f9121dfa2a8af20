using System.Security.Claims;
using MailTracker.Core.Accounts;
using MailTracker.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace MailTracker.Web.Endpoints;

/// <summary>Form posts of the signed-in user: sign out, the language choice (which needs a fresh page), and the password.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // It binds no form field, so antiforgery would not check it unless asked; the menu's form sends the token.
        app.MapPost("/Account/Logout", LogoutAsync).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        app.MapPost("/preferences/culture", SetCultureAsync);
        app.MapPost(PasswordPath, ChangePasswordAsync);
        return app;
    }

    /// <summary>Where the profile page posts a password change (a form post, so its response can renew the cookie).</summary>
    public const string PasswordPath = "/api/account/password";

    /// <summary>Signs out and returns to the sign-in page; a post without the menu form's antiforgery token changes nothing.</summary>
    internal static async Task<Results<RedirectHttpResult, BadRequest>> LogoutAsync(HttpContext context, SignInManager<AppUser> signInManager)
    {
        // The middleware checked the token (the endpoint asks for it) but only form binding would refuse a bad one.
        if (context.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return TypedResults.BadRequest();
        }

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

    /// <summary>
    /// Changes the signed-in user's password (current + new, Identity's rules) and renews their sign-in cookie in
    /// the same response: the change renews the security stamp, which ends every other session at its next request.
    /// A Blazor circuit cannot set cookies, so the profile page posts here from the browser. Errors are Identity's
    /// codes, for the page to word.
    /// </summary>
    internal static async Task<Results<NoContent, BadRequest<PasswordChangeErrors>, UnauthorizedHttpResult>> ChangePasswordAsync(
        [FromForm] string? currentPassword, [FromForm] string? newPassword, HttpContext context,
        UserManager<AppUser> userManager, SignInManager<AppUser> signInManager)
    {
        var user = await userManager.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        var result = await userManager.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!result.Succeeded)
        {
            return TypedResults.BadRequest(new PasswordChangeErrors(result.Errors.Select(e => e.Code).Distinct().ToList()));
        }

        await signInManager.RefreshSignInAsync(user);
        return TypedResults.NoContent();
    }

    public static void WriteCultureCookie(HttpContext context, string culture) =>
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = context.Request.IsHttps });

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}

/// <summary>Why a password change was refused: Identity error codes such as <c>PasswordMismatch</c>.</summary>
public sealed record PasswordChangeErrors(IReadOnlyList<string> Errors);
