using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Notifications;

/// <summary>The <c>Notifications</c> section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>A repeat open or click of the same message within this period updates the existing bell entry.</summary>
    [Range(0, 10_080, ErrorMessage = "Notifications:QuietPeriodMinutes must be between 0 and 10080.")]
    public int QuietPeriodMinutes { get; set; } = 30;
}
