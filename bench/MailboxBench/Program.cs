// Mail tab benchmark (issue 4). Measures, on a seeded 100,000-message mailbox and on a 10-message one (the baseline,
// same run), the service-level queries behind the Mail tab (first page, each filter, search, folder counts), and —
// when a running app URL is given for each — the time until /mail/sent is interactive with its first row in Chromium.
// usage: MailboxBench <big.db> <small.db> [<big app url> <small app url>]
using System.Diagnostics;
using MailTracker.Core.Data;
using MailTracker.Core.Insights;
using MailTracker.Core.Messages;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

var big = args[0];
var small = args[1];

var cases = new (string Name, MailListQuery Query)[]
{
    ("first page", new MailListQuery { Folder = MailFolder.Sent }),
    ("tracking enabled", new MailListQuery { Folder = MailFolder.Sent, TrackedOnly = true }),
    ("opened", new MailListQuery { Folder = MailFolder.Sent, Opened = true }),
    ("not opened", new MailListQuery { Folder = MailFolder.Sent, NotOpened = true }),
    ("clicked", new MailListQuery { Folder = MailFolder.Sent, Clicked = true }),
    ("search 'acme'", new MailListQuery { Folder = MailFolder.Sent, Search = "acme" }),
    ("search rare contact", new MailListQuery { Folder = MailFolder.Sent, Search = "contact4321@" }),
    ("search no match", new MailListQuery { Folder = MailFolder.Sent, Search = "zzyzx" }),
    ("clicked + search", new MailListQuery { Folder = MailFolder.Sent, Clicked = true, Search = "globex" }),
    ("page 20 (keyset)", new MailListQuery { Folder = MailFolder.Sent }),
};

var bigTimes = await MeasureAsync(big);
var smallTimes = await MeasureAsync(small);
Console.WriteLine($"{"query",-22} {"100k p50 ms",12} {"100k p95 ms",12} {"10 p50 ms",10} {"ratio",7}");
foreach (var (name, _) in cases.Append(("folder counts", new MailListQuery())))
{
    var b = bigTimes[name];
    var s = smallTimes[name];
    Console.WriteLine($"{name,-22} {Percentile(b, 50),12:F2} {Percentile(b, 95),12:F2} {Percentile(s, 50),10:F2} {Percentile(b, 50) / Math.Max(0.01, Percentile(s, 50)),7:F1}");
}

// Insights (issue 15): the page's queries on the same mailboxes, target <= 100 ms each.
var bigInsights = await MeasureInsightsAsync(big);
var smallInsights = await MeasureInsightsAsync(small);
Console.WriteLine();
Console.WriteLine($"{"insights query",-30} {"100k p50 ms",12} {"100k p95 ms",12} {"10 p50 ms",10} {"ratio",7}");
foreach (var name in bigInsights.Keys)
{
    var b = bigInsights[name];
    var s = smallInsights[name];
    Console.WriteLine($"{name,-30} {Percentile(b, 50),12:F2} {Percentile(b, 95),12:F2} {Percentile(s, 50),10:F2} {Percentile(b, 50) / Math.Max(0.01, Percentile(s, 50)),7:F1}");
}

if (args.Length >= 4)
{
    var bigTti = await TimeToInteractiveAsync(args[2]);
    var smallTti = await TimeToInteractiveAsync(args[3]);
    Console.WriteLine();
    Console.WriteLine($"/mail/sent time to interactive with first row (Chromium, median of {bigTti.Count}): 100k {Percentile(bigTti, 50):F0} ms, 10 {Percentile(smallTti, 50):F0} ms, ratio {Percentile(bigTti, 50) / Percentile(smallTti, 50):F2} (target <= 1000 ms)");
}

async Task<Dictionary<string, List<double>>> MeasureAsync(string database)
{
    var services = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
        .AddDbContextFactory<MailTrackerDbContext>(o => o.UseSqlite($"Data Source={database}"))
        .AddSingleton<MailboxQueries>()
        .AddSingleton<MailTracker.Core.Sync.MailSyncSignal>()
        .BuildServiceProvider();
    var queries = services.GetRequiredService<MailboxQueries>();
    await using var db = await services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync();
    var userId = await db.Users.Select(u => u.Id).SingleAsync();
    var results = new Dictionary<string, List<double>>();
    foreach (var (name, query) in cases)
    {
        var times = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var q = query;
            if (name.StartsWith("page 20", StringComparison.Ordinal))
            {
                // Walk to the 20th page by keyset before timing that page.
                var page = await queries.ListAsync(userId, q);
                for (var p = 1; p < 20 && page.HasMore; p++)
                {
                    q = q with { Before = (page.Items[^1].Date, page.Items[^1].Id) };
                    page = await queries.ListAsync(userId, q);
                }

                q = q with { Before = page.Items.Count > 0 ? (page.Items[^1].Date, page.Items[^1].Id) : null };
            }

            var watch = Stopwatch.StartNew();
            await queries.ListAsync(userId, q);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        results[name] = times.Skip(5).ToList();
    }

    var counts = new List<double>();
    for (var i = 0; i < 25; i++)
    {
        var watch = Stopwatch.StartNew();
        await queries.CountsAsync(userId);
        counts.Add(watch.Elapsed.TotalMilliseconds);
    }

    results["folder counts"] = counts.Skip(5).ToList();
    return results;
}

static async Task<Dictionary<string, List<double>>> MeasureInsightsAsync(string database)
{
    var services = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
        .AddDbContextFactory<MailTrackerDbContext>(o => o.UseSqlite($"Data Source={database}"))
        .AddSingleton<InsightsQueries>()
        .BuildServiceProvider();
    var insights = services.GetRequiredService<InsightsQueries>();
    await using var db = await services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync();
    var userId = await db.Users.Select(u => u.Id).SingleAsync();
    // The seeder spreads the mail over the past year; the admin role is not seeded, so the team view is timed as the
    // same query without the owner filter (what an admin's Team view runs).
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
    var month = new InsightsQuery(today.AddDays(-29), today, InsightsInterval.Day, warsaw);
    var year = new InsightsQuery(today.AddDays(-365), today, InsightsInterval.Week, warsaw);
    var cases = new (string Name, Func<Task> Run)[]
    {
        ("overview 30 days by day", () => insights.OverviewAsync(userId, month)),
        ("overview 365 days by week", () => insights.OverviewAsync(userId, year)),
        ("overview 365 days by month", () => insights.OverviewAsync(userId, year with { Interval = InsightsInterval.Month })),
        ("overview 365 days, India", () => insights.OverviewAsync(userId, year with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata") })),
        ("messages 365 days, newest", () => insights.MessagesAsync(userId, new InsightsMessagesQuery(year))),
        ("messages 365 days, by opens", () => insights.MessagesAsync(userId, new InsightsMessagesQuery(year, InsightsSort.Opens))),
        ("messages 365 days, page 40", () => insights.MessagesAsync(userId, new InsightsMessagesQuery(year, Skip: 1000))),
    };
    var results = new Dictionary<string, List<double>>();
    foreach (var (name, run) in cases)
    {
        var times = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        results[name] = times.Skip(5).ToList();
    }

    return results;
}

static async Task<List<double>> TimeToInteractiveAsync(string baseUrl)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    var context = await browser.NewContextAsync(new() { BaseURL = baseUrl });
    var page = await context.NewPageAsync();
    await page.GotoAsync("/Account/Login");
    await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync("bench@example.com");
    await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync("Passw0rd!");
    await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    var times = new List<double>();
    for (var i = 0; i < 11; i++)
    {
        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/mail/sent");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("li.message-row").First.WaitForAsync();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    return times.Skip(1).ToList();
}

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
