using System.Text.RegularExpressions;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class TrackedSendTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ATrackedMailIsOpenedAndClickedInTheSandboxAndTheSenderSeesItLive()
    {
        await app.CreateUserAsync("erin@example.com", name: "Erin");
        await using var context = await browser.NewContextAsync(app);
        var mailTab = new AppPages(await context.NewPageAsync());
        await mailTab.SignInAsync("erin@example.com");
        var landing = $"{app.BaseUrl}/healthz?from=mail";

        await mailTab.ComposeAndSendAsync("Frank <frank@example.com>", "Our pricing", "Hello Frank, here is", "the pricing page", landing);

        await mailTab.OpenMailAsync("Sent");
        var row = mailTab.MessageRow("Our pricing");
        var openIcon = row.GetByRole(AriaRole.Img, new() { Name = "Not opened yet" });
        await Expect(openIcon).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "No link clicked yet" })).ToBeVisibleAsync();
        var bell = mailTab.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true });
        await Expect(bell).ToHaveTextAsync("");

        // The recipient's side: the sandbox in another tab shows the delivered mail with the pixel and a rewritten link.
        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Our pricing");
        var link = frame.GetByRole(AriaRole.Link, new() { Name = "the pricing page" });
        await Expect(link).ToHaveAttributeAsync("href", new Regex($"^{Regex.Escape(app.BaseUrl)}/t/c/[A-Za-z0-9_-]{{22}}$"));
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        // The open icon fills on the Mail tab and the bell rings, without a reload.
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await Expect(bell).ToHaveTextAsync("1");

        // A click lands on the original URL and is recorded.
        var popupTask = recipient.Page.Context.WaitForPageAsync();
        await link.ClickAsync();
        var landed = await popupTask;
        await Expect(landed).ToHaveURLAsync(landing);
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Link clicked" })).ToBeVisibleAsync();
        await Expect(bell).ToHaveTextAsync("2");

        // Hover shows the times.
        await row.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true }).HoverAsync();
        await Expect(mailTab.Page.GetByText(new Regex(@"^Opened 1 time · first \d{1,2} \w{3} \d{4}, \d{2}:\d{2} · last "))).ToBeVisibleAsync();

        // The bell's panel lists both, newest first; selecting the open opens the message and marks it read.
        await bell.ClickAsync();
        var entries = mailTab.Page.Locator(".bell-entry-button");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Nth(0)).ToContainTextAsync($"Frank clicked {landing}");
        await Expect(entries.Nth(1)).ToContainTextAsync("Frank opened “Our pricing”");
        await entries.Nth(1).ClickAsync();
        await Expect(mailTab.Page).ToHaveURLAsync(new Regex(@"/mail/\d+$"));
        await Expect(bell).ToHaveTextAsync("1");
        await bell.ClickAsync();
        await mailTab.Page.GetByRole(AriaRole.Button, new() { Name = "Mark all as read" }).ClickAsync();
        await Expect(bell).ToHaveTextAsync("");
        await mailTab.Page.Keyboard.PressAsync("Escape");

        // The sender viewing the message in the app records nothing more.
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Subject == "Our pricing");
        var before = await db.TrackingEvents.CountAsync(e => e.MessageId == message.Id);
        Assert.Equal(2, before);
        await mailTab.Page.GotoAsync($"/mail/{message.Id}");
        await mailTab.WaitUntilInteractiveAsync();
        await Expect(mailTab.Page.GetByRole(AriaRole.Heading, new() { Name = "Our pricing" })).ToBeVisibleAsync();
        await Expect(mailTab.Page.FrameLocator("iframe.mail-body-frame").GetByRole(AriaRole.Link, new() { Name = "the pricing page" }))
            .ToHaveAttributeAsync("href", landing);
        await Expect(mailTab.Page.Locator("ol.timeline li")).ToHaveCountAsync(2);
        Assert.Equal(before, await db.TrackingEvents.CountAsync(e => e.MessageId == message.Id));
        Assert.All(await db.TrackingEvents.Where(e => e.MessageId == message.Id).ToListAsync(), e => Assert.Equal(Verdict.Human, e.Verdict));
    }
}
