namespace MailTracker.Core.Contacts;

/// <summary>
/// The reasons stored in <c>Message.TrackingSuppressedReason</c> when tracking was asked for but not applied,
/// as a code plus data that the UI words in the user's language.
/// </summary>
public static class TrackingSuppression
{
    private const string DoNotTrackPrefix = "do-not-track:";

    /// <summary>A recipient is a person marked Do not track.</summary>
    public static string DoNotTrack(IEnumerable<string> addresses) => DoNotTrackPrefix + string.Join(", ", addresses);

    /// <summary>The do-not-track recipients named in a stored reason, if it is that reason.</summary>
    public static bool IsDoNotTrack(string? reason, out string addresses)
    {
        if (reason is not null && reason.StartsWith(DoNotTrackPrefix, StringComparison.Ordinal))
        {
            addresses = reason[DoNotTrackPrefix.Length..].Trim();
            return true;
        }

        addresses = "";
        return false;
    }
}
