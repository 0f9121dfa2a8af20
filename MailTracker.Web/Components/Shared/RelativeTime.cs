using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Shared;

/// <summary>"just now", "5 min ago", "3 h ago", else a date, in the user's language.</summary>
public static class RelativeTime
{
    public static string Format(DateTime utc, DateTime nowUtc, CurrentUser user, IStringLocalizer<Strings> localizer)
    {
        var age = nowUtc - utc;
        if (age < TimeSpan.FromMinutes(1))
        {
            return localizer["just now"];
        }

        if (age < TimeSpan.FromHours(1))
        {
            return localizer["{0} min ago", (int)age.TotalMinutes];
        }

        if (age < TimeSpan.FromHours(24))
        {
            return localizer["{0} h ago", (int)age.TotalHours];
        }

        return user.FormatDateTime(utc);
    }
}
