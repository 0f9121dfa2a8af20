using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class InsightsTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    /// <summary>Six tracked messages and one untracked; three opened (one twice), two clicked, one only probed by a scanner.</summary>
    private async Task SeedAsync(string email)
    {
        var user = await app.CreateUserAsync(email, name: "Ines");
        await TestMail.SendAsync(app, user, subject: "Untracked note", openTracking: false, linkTracking: false);
        var sent = new List<SentMail>();
        foreach (var subject in new[] { "Offer A", "Offer B", "Offer C", "Offer D", "Offer E", "Offer F" })
        {
            sent.Add(await TestMail.SendAsync(app, user, subject: subject, to: $"Client {subject[^1]} <client{subject[^1]}@example.com>"));
        }

        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        foreach (var i in new[] { 0, 0, 1, 2 })
        {
            await client.GetAsync($"/t/o/{sent[i].OpenToken}.gif");
        }

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        noRedirect.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        await noRedirect.GetAsync($"/t/c/{sent[1].ClickTokens[0]}");
        await noRedirect.GetAsync($"/t/c/{sent[3].ClickTokens[0]}");
        await noRedirect.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/t/c/{sent[4].ClickTokens[0]}"));
        await app.ProjectedAsync();
    }

    private static async Task<int> RowsAsync(AppPages pages, int expected)
    {
        await Expect(pages.Page.Locator("li.message-row")).ToHaveCountAsync(expected);
        return expected;
    }

    [Fact]
    public async Task InsightsShowTheMailTabsNumbersForTheSameMail()
    {
        await SeedAsync("ines@example.com");
        await using var context = await browser.NewContextAsync(app);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.SignInAsync("ines@example.com");

        // What the Mail tab says, filter by filter.
        await pages.OpenMailAsync("Sent");
        await pages.FilterMailAsync("Email tracking enabled");
        var tracked = await RowsAsync(pages, 6);
        await pages.FilterMailAsync("Opened");
        var opened = await RowsAsync(pages, 4); // A, B, C, and D: its click with images blocked marks it opened
        await pages.FilterMailAsync("Clicked");
        var clicked = await RowsAsync(pages, 2);

        await pages.OpenInsightsAsync();

        await Expect(pages.InsightsTotal("sent")).ToHaveTextAsync(tracked.ToString());
        await Expect(pages.InsightsTotal("opened")).ToHaveTextAsync(opened.ToString());
        await Expect(pages.InsightsTotal("clicked")).ToHaveTextAsync(clicked.ToString());
        await Expect(pages.Page.GetByRole(AriaRole.Figure, new() { Name = "Open rate over time" })).ToBeVisibleAsync();
        await Expect(pages.Page.GetByRole(AriaRole.Figure, new() { Name = "Click rate over time" })).ToBeVisibleAsync();
        await Expect(pages.Page.Locator(".insights-automated")).ToContainTextAsync("Link scanners · clicks: 1");
        var row = pages.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Offer A" });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("2");
        await pages.ScreenshotAsync("insights-desktop");

        await pages.Page.GetByRole(AriaRole.Button, new() { Name = "Week", Exact = true }).ClickAsync();
        await Expect(pages.Page.GetByRole(AriaRole.Button, new() { Name = "Week", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(pages.InsightsTotal("opened")).ToHaveTextAsync(opened.ToString());

        await row.GetByRole(AriaRole.Link, new() { Name = "Offer A" }).ClickAsync();
        await Expect(pages.Page.GetByRole(AriaRole.Heading, new() { Name = "Offer A" })).ToBeVisibleAsync();
    }
}
