using Microsoft.AspNetCore.Identity;

namespace MailTracker.Core.Accounts;

/// <summary>A person who signs in to MailTracker. Identity owns the credentials; the rest is preferences.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>IANA or Windows time zone id used for every time the UI shows.</summary>
    public string TimeZoneId { get; set; } = "UTC";

    /// <summary>UI culture name, "en" or "pl".</summary>
    public string Culture { get; set; } = "en";

    public bool DarkMode { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    /// <summary>Whether the composer starts with open tracking on, and whether it offers the toggle at all.</summary>
    public bool OpenTrackingEnabled { get; set; } = true;

    /// <summary>Whether the composer starts with link tracking on, and whether it offers the toggle at all.</summary>
    public bool LinkTrackingEnabled { get; set; } = true;

    /// <summary>Whether the composer starts with "Track each recipient separately" on (mail to more than one recipient).</summary>
    public bool TrackEachRecipient { get; set; }

    public bool NotifyOnOpen { get; set; } = true;

    public bool NotifyOnClick { get; set; } = true;
}
