using System.Globalization;

namespace MailTracker.Web.Components.Pages.Settings;

/// <summary>A time zone as the profile offers it: its IANA id, labelled with today's UTC offset.</summary>
public sealed record TimeZoneChoice(string Id, string Label);

/// <summary>The IANA time zones this machine knows, west to east, for the profile's time zone select.</summary>
public static class TimeZoneChoices
{
    public static IReadOnlyList<TimeZoneChoice> List(DateTimeOffset now) =>
        TimeZoneInfo.GetSystemTimeZones()
            .Select(zone => (Zone: zone, Offset: zone.GetUtcOffset(now)))
            .OrderBy(z => z.Offset)
            .ThenBy(z => z.Zone.Id, StringComparer.Ordinal)
            .Select(z => new TimeZoneChoice(z.Zone.Id, $"(UTC{FormatOffset(z.Offset)}) {z.Zone.Id.Replace('_', ' ')}"))
            .ToList();

    /// <summary>The label of one zone, also for an id that is not in the list (kept as the user had it).</summary>
    public static string Label(string id, DateTimeOffset now) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? $"(UTC{FormatOffset(zone.GetUtcOffset(now))}) {id.Replace('_', ' ')}"
            : id;

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
