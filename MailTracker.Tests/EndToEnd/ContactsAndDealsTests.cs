using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class ContactsAndDealsTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task FromADealATrackedMailIsSentAndTheDealsHistoryIconFillsLiveWhenItIsOpened()
    {
        await app.CreateUserAsync("gina@example.com", name: "Gina");
        await using var context = await browser.NewContextAsync(app);
        var rep = new AppPages(await context.NewPageAsync());
        await rep.SignInAsync("gina@example.com");
        var landing = $"{app.BaseUrl}/healthz?from=deal";

        await rep.AddPersonAsync("Hank Hill", "hank@example.com", organization: "Strickland Propane");
        await rep.AddDealAsync("Propane contract", "4200", "USD", "Proposal", person: "Hank Hill");
        await Expect(rep.Page.GetByText("4,200.00 USD")).ToBeVisibleAsync();
        await Expect(rep.Page.GetByRole(AriaRole.List, new() { Name = "Pipeline" }).Locator("[aria-current=step]")).ToHaveTextAsync("Proposal");
        await rep.ComposeAndSendAsync(to: null, "Propane offer", "Hello Hank, here is", "the offer", landing);

        // The deal's history shows the mail, addressed to the deal's person, with the Mail tab's icons.
        var row = rep.HistoryRow("Propane offer");
        await Expect(row).ToContainTextAsync("To: Hank Hill");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "No link clicked yet" })).ToBeVisibleAsync();

        // Hank opens it in his mail client (the sandbox, in another tab).
        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Propane offer");
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        // The deal page fills the open icon without a reload, and hovering shows when.
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true }).HoverAsync();
        await Expect(rep.Page.GetByText(new Regex(@"^Opened 1 time · first \d{1,2} \w{3} \d{4}, \d{2}:\d{2} · last "))).ToBeVisibleAsync();

        // And the click icon when he follows the link.
        var popup = recipient.Page.Context.WaitForPageAsync();
        await frame.GetByRole(AriaRole.Link, new() { Name = "the offer" }).ClickAsync();
        await Expect(await popup).ToHaveURLAsync(landing);
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Link clicked" })).ToBeVisibleAsync();

        // The same mail is in Hank's history (matched by his address) and linked to the deal.
        await rep.Page.GetByRole(AriaRole.Link, new() { Name = "Hank Hill", Exact = true }).ClickAsync();
        await Expect(rep.Page.GetByRole(AriaRole.Heading, new() { Name = "Hank Hill", Level = 1 })).ToBeVisibleAsync();
        await Expect(rep.HistoryRow("Propane offer").GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Subject == "Propane offer");
        var deal = await db.Deals.SingleAsync(d => d.Title == "Propane contract");
        Assert.Equal(deal.Id, message.DealId);
    }

    [Fact]
    public async Task MailToADoNotTrackPersonArrivesWithNoPixelAndOriginalLinksAndTheComposerSaysSo()
    {
        await app.CreateUserAsync("ivy@example.com", name: "Ivy");
        await using var context = await browser.NewContextAsync(app);
        var rep = new AppPages(await context.NewPageAsync());
        await rep.SignInAsync("ivy@example.com");
        var landing = $"{app.BaseUrl}/healthz?from=private";

        await rep.AddPersonAsync("Pat Private", "pat@example.com", doNotTrack: true);
        await rep.Page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        await Expect(rep.DoNotTrackNotice).ToBeVisibleAsync();
        await Expect(rep.DoNotTrackNotice).ToContainTextAsync("Pat Private (pat@example.com)");
        await rep.Page.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();

        // Both toggles on: the person's wish wins.
        await rep.ComposeAndSendAsync(to: null, "Private note", "Hello Pat, see", "our terms", landing, openTracking: true, linkTracking: true);
        var row = rep.HistoryRow("Private note");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img)).ToHaveCountAsync(0);

        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Private note");
        await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "our terms" })).ToHaveAttributeAsync("href", landing);
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(0);
        await Expect(frame.Locator("a[href*='/t/c/']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheFirstMailToSomeoneNewOffersToSaveThemAsAPersonInOneClick()
    {
        await app.CreateUserAsync("jay@example.com", name: "Jay");
        await using var context = await browser.NewContextAsync(app);
        var rep = new AppPages(await context.NewPageAsync());
        await rep.SignInAsync("jay@example.com");
        await rep.OpenMailAsync();

        await rep.ComposeAndSendAsync("Kim Kline <kim@example.com>", "Nice to meet you", "Hello Kim", openTracking: false, linkTracking: false);
        await Expect(rep.Page.GetByText("Save Kim Kline (kim@example.com) as a person?")).ToBeVisibleAsync();
        await rep.Page.GetByRole(AriaRole.Button, new() { Name = "Save Kim Kline as a person" }).ClickAsync();
        await Expect(rep.Page.GetByText("Kim Kline was saved to your contacts.")).ToBeVisibleAsync();

        await rep.Page.GotoAsync("/contacts");
        await rep.WaitUntilInteractiveAsync();
        await rep.Page.GetByRole(AriaRole.Link, new() { Name = "Kim Kline", Exact = true }).ClickAsync();
        await Expect(rep.HistoryRow("Nice to meet you")).ToBeVisibleAsync();
    }
}
