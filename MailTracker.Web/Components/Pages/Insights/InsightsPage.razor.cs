using System.Globalization;
using MailTracker.Core.Insights;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Insights;

/// <summary>
/// Insights: tracked mail sent, open and click rates over time (counted hits only) in the user's time zone, with the
/// automated hits beside; the user's own messages (or, for an admin, the team's figures per user). Queries live in
/// <see cref="InsightsQueries"/>.
/// </summary>
public sealed partial class InsightsPage
{
    private readonly LineChartOptions _chartOptions = new()
    {
        YAxisSuggestedMax = 100,
        YAxisFormat = "0'%'",
        YAxisRequireZeroPoint = true,
        ShowDataMarkers = true,
        ConnectNullPoints = true,
        ShowLegend = false,
    };

    private InsightsInterval _interval = InsightsInterval.Day;
    private bool _team;
    private DateRange _range = new();
    private InsightsOverview? _overview;
    private string[] _labels = [];
    private List<ChartSeries<double>> _openSeries = [];
    private List<ChartSeries<double>> _clickSeries = [];
    private InsightsMessagesTable? _messages;

    [Inject]
    private InsightsQueries Insights { get; set; } = default!;

    [Inject]
    private CurrentUser Me { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await Me.LoadAsync();
        var today = Me.ToLocal(Clock.GetUtcNow().UtcDateTime).Date;
        _range = new DateRange(today.AddDays(-29), today);
        await LoadAsync();
    }

    private InsightsQuery Query() => new(
        DateOnly.FromDateTime(_range.Start ?? DateTime.Today),
        DateOnly.FromDateTime(_range.End ?? _range.Start ?? DateTime.Today),
        _interval,
        Me.TimeZone,
        _team);

    private async Task LoadAsync()
    {
        var overview = await Insights.OverviewAsync(Me.Id, Query());
        if (overview is null)
        {
            // No longer an admin: back to the user's own mail.
            _team = false;
            overview = await Insights.OverviewAsync(Me.Id, Query());
        }

        _overview = overview;
        if (overview is null)
        {
            return;
        }

        // A label for every few points only, so a month of days stays readable.
        var every = Math.Max(1, (int)Math.Ceiling(overview.Points.Count / 8.0));
        _labels = overview.Points.Select((p, i) => i % every == 0 ? Label(p.Start) : "").ToArray();
        _openSeries = [Series(L["Open rate"], overview.Points.Select(p => p.OpenRate))];
        _clickSeries = [Series(L["Click rate"], overview.Points.Select(p => p.ClickRate))];
    }

    /// <summary>A rate in percent per bucket; a bucket with no tracked mail has no rate (a gap, not 0 %).</summary>
    private static ChartSeries<double> Series(string name, IEnumerable<double?> rates) => new()
    {
        Name = name,
        Data = new ChartData<double>(rates.Select(r => r is { } rate ? Math.Round(rate * 100, 1) : (double?)null).ToList()),
    };

    private string Label(DateOnly start) => _interval switch
    {
        InsightsInterval.Month => start.ToString("MMM yyyy", CultureInfo.CurrentUICulture),
        _ => start.ToString("d MMM", CultureInfo.CurrentUICulture),
    };

    private async Task SetIntervalAsync(InsightsInterval interval)
    {
        _interval = interval;
        await LoadAsync();
    }

    private async Task SetTeamAsync(bool team)
    {
        _team = team;
        await LoadAsync();
    }

    private async Task SetRangeAsync(DateRange? range)
    {
        if (range?.Start is null)
        {
            return;
        }

        _range = range;
        await LoadAsync();
    }

    private async Task ExportAsync()
    {
        string csv;
        if (_team)
        {
            csv = InsightsCsv.Users(_overview?.Users ?? [], [L["Name"], L["Tracked mail sent"], L["Opened"], L["Open rate"], L["Clicked"], L["Click rate"]]);
        }
        else
        {
            var page = await Insights.MessagesAsync(Me.Id, new InsightsMessagesQuery(Query(), _messages?.Sort ?? InsightsSort.Sent, _messages?.Descending ?? true, 0, InsightsQueries.MaxRows));
            csv = InsightsCsv.Messages(page.Items, Me.TimeZone, [L["Subject"], L["Recipient"], L["Sent"], L["Opens"], L["Clicks"], L["Replied"]]);
        }

        var query = Query();
        await Js.InvokeVoidAsync("mailTracker.download", $"insights-{query.From:yyyy-MM-dd}-{query.To:yyyy-MM-dd}.csv", "text/csv", csv);
    }

    private string IntervalName(InsightsInterval interval) => interval switch
    {
        InsightsInterval.Week => L["Week"],
        InsightsInterval.Month => L["Month"],
        _ => L["Day"],
    };

    private static string Percent(double? rate) => rate is { } r ? r.ToString("P0", CultureInfo.CurrentUICulture) : "–";

    private string AutomatedText(AutomatedHits hit)
    {
        var what = hit.Source switch
        {
            Verdict.PrivacyProxy or Verdict.Prefetch => L["Apple Mail Privacy Protection or prefetch"],
            Verdict.Scanner => L["Link scanners"],
            Verdict.Sender => L["Your own views"],
            Verdict.ImageProxy => L["Image proxies"],
            _ => L["Other"],
        };
        return hit.Kind == TrackingKind.Click ? L["{0} · clicks: {1}", what, hit.Count] : L["{0} · opens: {1}", what, hit.Count];
    }
}
