using System.Globalization;
using CsvHelper;

namespace MailTracker.Core.Insights;

/// <summary>Insights' tables as CSV (RFC 4180, UTF-8): the rows the page shows, with the headers it shows.</summary>
public static class InsightsCsv
{
    /// <summary>The user's messages: subject, recipient, sent (in the user's time zone, ISO 8601), opens, clicks, replied.</summary>
    public static string Messages(IEnumerable<InsightsMessage> rows, TimeZoneInfo zone, IReadOnlyList<string> headers)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(text, CsvWriterOptions.Default, true);
        csv.WriteHeader([.. headers]);
        foreach (var row in rows)
        {
            csv.WriteField(row.Subject);
            csv.WriteField(row.To);
            csv.WriteField(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(row.SentAt, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            csv.WriteField(row.Opens);
            csv.WriteField(row.Clicks);
            csv.WriteField(row.Replied);
            csv.EndRecord();
        }

        csv.Dispose();
        return text.ToString();
    }

    /// <summary>The team's figures per user: name, sent, opened, open rate, clicked, click rate.</summary>
    public static string Users(IEnumerable<UserInsights> rows, IReadOnlyList<string> headers)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(text, CsvWriterOptions.Default, true);
        csv.WriteHeader([.. headers]);
        foreach (var row in rows)
        {
            csv.WriteField(row.Name);
            csv.WriteField(row.Sent);
            csv.WriteField(row.Opened);
            csv.WriteField(Rate(row.OpenRate));
            csv.WriteField(row.Clicked);
            csv.WriteField(Rate(row.ClickRate));
            csv.EndRecord();
        }

        csv.Dispose();
        return text.ToString();
    }

    private static string Rate(double? rate) => rate is { } r ? r.ToString("0.0###", CultureInfo.InvariantCulture) : "";
}
