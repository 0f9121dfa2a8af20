namespace MailTracker.Core.Contacts;

/// <summary>
/// The reasons stored in <c>Message.TrackingSuppressedReason</c> when tracking was asked for but not applied,
/// as a code plus data that the UI words in the user's language.
/// </summary>
public static class TrackingSuppression
{
    private const string DoNotTrackPrefix = "do-not-track:";
    private const string NeverTrackDomainPrefix = "never-track-domain:";

    /// <summary>A recipient is at a domain the workspace never tracks (colleagues, internal mail).</summary>
    public static string NeverTrackDomain(IEnumerable<string> addresses) => NeverTrackDomainPrefix + string.Join(", ", addresses);

    /// <summary>The recipients at never-track domains named in a stored reason, if it is that reason.</summary>
    public static bool IsNeverTrackDomain(string? reason, out string addresses)
    {
        if (reason is not null && reason.StartsWith(NeverTrackDomainPrefix, StringComparison.Ordinal))
        {
            addresses = reason[NeverTrackDomainPrefix.Length..].Trim();
            return true;
        }

        addresses = "";
        return false;
    }

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
