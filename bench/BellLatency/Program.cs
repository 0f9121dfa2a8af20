// Bell latency benchmark (issue 5): the time from a pixel's HTTP response to the bell's badge changing in Chromium,
// over 20 opens of different tracked messages. Baseline (same run): the pixel request's own round trip.
// usage: BellLatency <app url> <opens.txt>   (the app seeded by bench/Seeder; user bench@example.com / Passw0rd!)
using System.Diagnostics;
using Microsoft.Playwright;

var baseUrl = args[0];
var tokens = File.ReadAllLines(args[1]).Take(20).ToList();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var page = await (await browser.NewContextAsync(new() { BaseURL = baseUrl })).NewPageAsync();
await page.GotoAsync("/Account/Login");
await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync("bench@example.com");
await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync("Passw0rd!");
await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

// Record, in the page, the wall-clock time of every change of the bell's text.
await page.EvaluateAsync("""
    () => {
      window.bellChanges = [];
      const bell = document.querySelector('button[aria-label="Notifications"]');
      new MutationObserver(() => window.bellChanges.push({ at: performance.timeOrigin + performance.now(), text: bell.textContent.trim() }))
        .observe(bell, { childList: true, subtree: true, characterData: true });
    }
    """);

using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
// The recipient reads elsewhere: through the trusted loopback proxy, not from the sender's own (signed-in) address.
http.DefaultRequestHeaders.Add("X-Forwarded-For", "81.2.69.160");
var latencies = new List<double>();
var roundTrips = new List<double>();
foreach (var token in tokens)
{
    var before = await page.EvaluateAsync<int>("() => window.bellChanges.length");
    var watch = Stopwatch.StartNew();
    using (var response = await http.GetAsync($"/t/o/{token}.gif"))
    {
        await response.Content.ReadAsByteArrayAsync();
    }

    roundTrips.Add(watch.Elapsed.TotalMilliseconds);
    var answeredAt = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
    await page.WaitForFunctionAsync($"() => window.bellChanges.length > {before}", null, new() { Timeout = 10_000 });
    var changedAt = await page.EvaluateAsync<double>($"() => window.bellChanges[{before}].at");
    latencies.Add(Math.Max(0, changedAt - answeredAt));
}

double P(List<double> values, int p)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}

Console.WriteLine($"pixel answered -> bell badge changed ({latencies.Count} samples): p50 {P(latencies, 50):F1} ms, p95 {P(latencies, 95):F1} ms, max {latencies.Max():F1} ms (target p95 <= 250 ms)");
Console.WriteLine($"baseline, the pixel request's round trip: p50 {P(roundTrips, 50):F1} ms, p95 {P(roundTrips, 95):F1} ms; ratio p95/p95 {P(latencies, 95) / P(roundTrips, 95):F1}");
