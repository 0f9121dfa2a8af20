using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Reps check opens on their phones: at 390 px nothing is cut off and every row shows its subject and snippet.</summary>
public sealed class PhoneLayoutTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    /// <summary>Whether the page scrolls sideways: something wider than the screen.</summary>
    private static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");

    /// <summary>The element lies within the screen's width and has room to show text.</summary>
    private static async Task AssertOnScreenAsync(ILocator element, int minWidth = 60)
    {
        await Expect(element).ToBeVisibleAsync();
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 391, $"{element} spans {box.X}–{box.X + box.Width} px");
        Assert.True(box.Width >= minWidth, $"{element} is {box.Width} px wide");
    }

    [Fact]
    public async Task TheMailTabMessageBellInsightsAndComposerFitAPhone()
    {
        var user = await app.CreateUserAsync("phone@example.com", name: "Paula");
        var mail = await TestMail.SendAsync(app, user, subject: "Quarterly pricing for Globex", to: "Greta Longname-Surname <greta.longname@globex-industries.example>",
            html: "<p>Hello Greta, here is the quarterly pricing we spoke about on Tuesday, see <a href=\"" + TestMail.PricingUrl + "\">the pricing page</a>.</p>");
        using (var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            await client.GetAsync($"/t/o/{mail.OpenToken}.gif");
        }

        await app.ProjectedAsync();
        await using var context = await browser.NewPhoneContextAsync(app);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.SignInAsync("phone@example.com");

        // Sent: subject and snippet in the row, folders in one compact line, nothing wider than the screen.
        await pages.OpenMailAsync("Sent");
        var row = pages.MessageRow("Quarterly pricing for Globex");
        await AssertOnScreenAsync(row.Locator(".message-subject"));
        await AssertOnScreenAsync(row.Locator(".message-snippet"));
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        var folders = await pages.Page.GetByRole(AriaRole.Navigation, new() { Name = "Folders" }).BoundingBoxAsync();
        Assert.True(folders!.Height <= 64, $"the folder list is {folders.Height} px high");
        await Expect(pages.Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Outbox") })).ToBeVisibleAsync();
        Assert.False(await OverflowsAsync(pages.Page));
        await pages.ScreenshotAsync("phone-mail-sent");

        // The bell's panel.
        var bell = pages.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true });
        await bell.ClickAsync();
        var entry = pages.Page.Locator(".bell-entry-button").First;
        await AssertOnScreenAsync(entry);
        Assert.False(await OverflowsAsync(pages.Page));
        await AssertOnScreenAsync(pages.Page.GetByRole(AriaRole.Button, new() { Name = "Mark all as read" }));
        await pages.ScreenshotAsync("phone-bell");
        await entry.FocusAsync();
        await pages.Page.Keyboard.PressAsync("Escape");
        await Expect(entry).ToBeHiddenAsync();

        // The message page.
        await row.Locator(".message-link").ClickAsync();
        await AssertOnScreenAsync(pages.Page.GetByRole(AriaRole.Heading, new() { Name = "Quarterly pricing for Globex" }));
        await Expect(pages.Page.Locator("ol.timeline li")).ToHaveCountAsync(1);
        Assert.False(await OverflowsAsync(pages.Page));
        await pages.ScreenshotAsync("phone-message");

        // The composer.
        await pages.OpenMailAsync("Sent");
        await pages.Page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        var dialog = pages.Page.GetByRole(AriaRole.Dialog);
        await AssertOnScreenAsync(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }));
        await AssertOnScreenAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }));
        await AssertOnScreenAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Enable link click tracking" }), minWidth: 24);
        Assert.False(await OverflowsAsync(pages.Page));
        await pages.ScreenshotAsync("phone-compose");
        await pages.Page.Keyboard.PressAsync("Escape");

        // Insights.
        await pages.OpenInsightsAsync();
        await AssertOnScreenAsync(pages.Page.GetByRole(AriaRole.Figure, new() { Name = "Open rate over time" }));
        await AssertOnScreenAsync(pages.Page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }));
        await Expect(pages.InsightsTotal("opened")).ToHaveTextAsync("1");
        Assert.False(await OverflowsAsync(pages.Page));
        await pages.ScreenshotAsync("phone-insights");
    }
}
