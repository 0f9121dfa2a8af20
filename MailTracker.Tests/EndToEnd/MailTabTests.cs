using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class MailTabTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    private async Task<AppPages> SignInAsync(string email)
    {
        var context = await browser.NewContextAsync(app);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.SignInAsync(email);
        return pages;
    }

    [Fact]
    public async Task EmailTrackingEnabledHidesUntrackedMailAndShowsTrackedMail()
    {
        var user = await app.CreateUserAsync("filter-e2e@example.com");
        await TestMail.SendAsync(app, user, subject: "Tracked proposal");
        await TestMail.SendAsync(app, user, subject: "Untracked lunch", openTracking: false, linkTracking: false);
        var pages = await SignInAsync("filter-e2e@example.com");
        var page = pages.Page;
        await pages.OpenMailAsync("Sent");
        await Expect(pages.MessageRow("Untracked lunch")).ToBeVisibleAsync();
        await Expect(pages.MessageRow("Untracked lunch").GetByRole(AriaRole.Img)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Email tracking enabled" }).CheckAsync();
        await page.Keyboard.PressAsync("Escape");

        await Expect(pages.MessageRow("Untracked lunch")).ToHaveCountAsync(0);
        await Expect(pages.MessageRow("Tracked proposal")).ToBeVisibleAsync();
        var remove = page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Email tracking enabled" });
        await Expect(remove).ToBeVisibleAsync();

        await remove.ClickAsync();
        await Expect(pages.MessageRow("Untracked lunch")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SearchMailNarrowsTheList()
    {
        var user = await app.CreateUserAsync("search-e2e@example.com");
        await TestMail.SendAsync(app, user, subject: "Invoice for Hooli", to: "gavin@hooli.example");
        await TestMail.SendAsync(app, user, subject: "Lunch on Friday", to: "jian@example.com");
        var pages = await SignInAsync("search-e2e@example.com");
        await pages.OpenMailAsync("Sent");

        await pages.Page.GetByRole(AriaRole.Textbox, new() { Name = "Search mail" }).FillAsync("hooli");

        await Expect(pages.MessageRow("Lunch on Friday")).ToHaveCountAsync(0);
        await Expect(pages.MessageRow("Invoice for Hooli")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AMalformedAddressIsRejectedInTheComposerAndNothingIsSent()
    {
        await app.CreateUserAsync("typo@example.com");
        var pages = await SignInAsync("typo@example.com");
        var page = pages.Page;
        await pages.OpenMailAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "To" }).FillAsync("bob@, anna@example.com");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }).FillAsync("Typo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(page.GetByText("“bob@” is not a valid email address.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" })).ToHaveValueAsync("Typo");
    }

    [Fact]
    public async Task ARefusedMessageStaysInTheOutboxWithTheReasonAndCanBeRetriedOrCancelled()
    {
        await app.CreateUserAsync("refused@example.com");
        var pages = await SignInAsync("refused@example.com");
        var page = pages.Page;
        await pages.OpenMailAsync();
        await pages.ComposeAndSendAsync("ghost@reject.invalid", "Will bounce", "Hello?");

        await page.GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        var row = pages.MessageRow("Will bounce");
        await Expect(row).ToContainTextAsync("Failed after 1 attempt(s)");
        await Expect(row).ToContainTextAsync(new Regex("Last error: 550 .*ghost@reject.invalid"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Failed after 2 attempt(s)");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Drafts" }).ClickAsync();
        await Expect(pages.MessageRow("Will bounce")).ToBeVisibleAsync();
    }
}
