using MailTracker.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Account;

/// <summary>Identity's errors in the user's language.</summary>
internal static class IdentityErrorText
{
    public static string Describe(IdentityError error, IStringLocalizer<Strings> localizer) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => localizer["The password is too short: use at least 8 characters."],
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => localizer["The password needs a digit."],
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => localizer["The password needs a lower-case letter."],
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => localizer["The password needs an upper-case letter."],
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => localizer["The password needs a symbol, such as ! or #."],
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) => localizer["An account with this email address already exists."],
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => localizer["Enter a valid email address."],
        nameof(IdentityErrorDescriber.PasswordMismatch) => localizer["The current password is not right."],
        "SetupDone" => localizer["The first account already exists. Sign in instead."],
        _ => error.Description,
    };
}
