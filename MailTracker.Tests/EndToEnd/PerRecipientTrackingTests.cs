using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class PerRecipientTrackingTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OfTwoRecipientsTheOneWhoOpensIsNamedOnTheMessage()
    {
        await app.CreateUserAsync("gina@example.com", name: "Gina");
        await using var context = await browser.NewContextAsync(app);
        var sender = new AppPages(await context.NewPageAsync());
        await sender.SignInAsync("gina@example.com");

        await sender.ComposeAndSendAsync("anna@client.test, bob@client.test", "Pricing for two", "Hello both", linkTracking: false, eachRecipient: true);

        await sender.OpenMailAsync("Sent");
        var row = sender.MessageRow("Pricing for two");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();

        // Each got a copy of their own in the sandbox; Anna opens hers, Bob does not.
        var anna = new AppPages(await context.NewPageAsync());
        var frame = await anna.OpenInSandboxAsync("Pricing for two", "anna@client.test");
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        // The sender's list fills the icon live, and its tooltip names Anna, not Bob.
        var opened = row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true });
        await Expect(opened).ToBeVisibleAsync();
        await opened.HoverAsync();
        await Expect(sender.Page.GetByText(new Regex(@"^Opened by anna@client\.test · \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$"))).ToBeVisibleAsync();
        await Expect(sender.Page.GetByText("Opened by bob@client.test")).ToHaveCountAsync(0);

        // The message page lists both recipients: Anna opened, Bob not yet.
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        var recipients = sender.Page.GetByRole(AriaRole.List, new() { Name = "Recipients" });
        await Expect(recipients.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(recipients.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "anna@client.test" })).ToContainTextAsync("Opened by anna@client.test · ");
        await Expect(recipients.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "bob@client.test" })).ToContainTextAsync("Not opened yet");
        await sender.ScreenshotAsync("per-recipient-message");

        // The bell says who, too.
        await sender.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true }).ClickAsync();
        await Expect(sender.Page.Locator(".bell-entry-button")).ToHaveCountAsync(1);
        await Expect(sender.Page.Locator(".bell-entry-button")).ToContainTextAsync("anna@client.test opened “Pricing for two”");
    }
}
