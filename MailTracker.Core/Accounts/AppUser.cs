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

    /// <summary>A message's first open rings the bell (the rules beside it refine it; see <c>Notifications.BellPreferences</c>).</summary>
    public bool NotifyOnOpen { get; set; } = true;

    public bool NotifyOnClick { get; set; } = true;

    /// <summary>A later open rings again, once <see cref="ReopenAfterHours"/> have passed since the message's previous open.</summary>
    public bool NotifyOnReopen { get; set; } = true;

    /// <summary>0: every reopen rings (repeats within the quiet period still merge into one entry).</summary>
    public int ReopenAfterHours { get; set; }

    /// <summary>Only a message's first counted click rings, not every click.</summary>
    public bool NotifyOnFirstClickOnly { get; set; }

    public bool NotifyOnReply { get; set; } = true;

    /// <summary>An Apple Mail Privacy Protection fetch of a message not yet opened rings (said to be one, since it may not be a read).</summary>
    public bool NotifyOnApplePrivacyOpen { get; set; }

    /// <summary>Between <see cref="QuietHoursFrom"/> and <see cref="QuietHoursUntil"/> in <see cref="TimeZoneId"/>, entries collect silently.</summary>
    public bool QuietHoursEnabled { get; set; }

    public TimeOnly QuietHoursFrom { get; set; } = new(22, 0);

    public TimeOnly QuietHoursUntil { get; set; } = new(7, 0);
}
