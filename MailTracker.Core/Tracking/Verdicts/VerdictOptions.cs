using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>The <c>Tracking:Verdicts</c> section: the verdict engine's windows and where refreshed address ranges live.</summary>
public sealed class VerdictOptions
{
    public const string Section = "Tracking:Verdicts";

    /// <summary>
    /// How long a hit's verdict stays provisional while later hits (a burst, a honeypot) may still revise it; counts and the
    /// bell wait for it. At least the burst window; see docs/decisions/0011-truthful-verdicts.md for why not longer.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Tracking:Verdicts:SettleWindowSeconds must be between 1 and 3600.")]
    public int SettleWindowSeconds { get; set; } = 15;

    /// <summary>Hits from one network within this many seconds of each other form a burst.</summary>
    [Range(1, 600, ErrorMessage = "Tracking:Verdicts:BurstWindowSeconds must be between 1 and 600.")]
    public int BurstWindowSeconds { get; set; } = 10;

    /// <summary>A click sooner than this after sending came before the mail could have been read.</summary>
    [Range(0, 600, ErrorMessage = "Tracking:Verdicts:MinDeliverySeconds must be between 0 and 600.")]
    public int MinDeliverySeconds { get; set; } = 2;

    /// <summary>One address showing three or more user agents within this window is a machine.</summary>
    [Range(1, 3600, ErrorMessage = "Tracking:Verdicts:AgentSwitchWindowSeconds must be between 1 and 3600.")]
    public int AgentSwitchWindowSeconds { get; set; } = 60;

    /// <summary>
    /// A folder with refreshed range files (written by <c>refresh-ranges</c>); a file there replaces the shipped one of
    /// the same name. Empty means the shipped data only. Relative paths are under the app's content root.
    /// </summary>
    public string? RangesDirectory { get; set; }
}
