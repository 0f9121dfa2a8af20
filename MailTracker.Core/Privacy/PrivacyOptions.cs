using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Privacy;

/// <summary>
/// How long raw tracking data is kept: <c>Tracking:RawDataDays</c>. Bound to the <c>Tracking</c> section beside
/// <c>TrackingOptions</c>, reading only this key, so the purge has its own options and the tracking pipeline's stay untouched.
/// </summary>
public sealed class PrivacyOptions
{
    public const string Section = "Tracking";

    /// <summary>A hit's raw client address and user agent are deleted this many days after it happened; its verdict, class and time stay.</summary>
    [Range(1, 36_500, ErrorMessage = "Tracking:RawDataDays must be between 1 and 36500.")]
    public int RawDataDays { get; set; } = 30;

    /// <summary>Rows cleared per transaction, so a large backlog never holds the database for long.</summary>
    public const int BatchSize = 1000;

    /// <summary>How often the purge looks for raw data past its time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
}
