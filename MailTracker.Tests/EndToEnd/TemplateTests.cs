using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Templates in a real Chromium against the real app and its sandbox mail server.</summary>
public sealed class TemplateTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ATemplatesRatesMatchItsMessages()
    {
        await app.CreateUserAsync("tess@example.com", name: "Tess");
        await using var context = await browser.NewContextAsync(app);
        var mail = new AppPages(await context.NewPageAsync());
        await mail.SignInAsync("tess@example.com");
        await mail.AddPersonAsync("Hank Hill", "hank@arlen.example");
        await mail.AddPersonAsync("Ivy Lane", "ivy@lane.example");
        var landing = $"{app.BaseUrl}/healthz?from=template";

        // Written once, saved as a template from the composer, and sent to Hank.
        await mail.OpenMailAsync();
        await mail.WriteAsync("hank@arlen.example", "Hello {{first_name}}", "Hi {{first_name}}, here is");
        await mail.AddLinkAsync("our price list", landing);
        await mail.SetTrackingAsync("Enable email open tracking", true);
        await mail.SetTrackingAsync("Enable link click tracking", true);
        await mail.SaveAsTemplateAsync("Intro");
        await mail.SendNowAsync();

        // A new message to Ivy starts from it: her first name fills in, the tracking defaults come with it.
        await mail.ComposeFromTemplateAsync("Intro");
        await Expect(mail.Page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" })).ToHaveValueAsync("Hello {{first_name}}");
        await Expect(mail.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).GetByRole(AriaRole.Link, new() { Name = "our price list" })).ToBeVisibleAsync();
        await Expect(mail.Page.GetByRole(AriaRole.Button, new() { Name = "Enable link click tracking", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await mail.Page.GetByRole(AriaRole.Textbox, new() { Name = "To" }).FillAsync("ivy@lane.example");
        await mail.SendNowAsync();

        await mail.OpenMailAsync("Sent");
        var hank = mail.MessageRow("Hello Hank");
        await Expect(hank.GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();
        await Expect(mail.MessageRow("Hello Ivy").GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();

        // Hank opens his copy in the sandbox and clicks its link; Ivy does nothing.
        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Hello Hank");
        await Expect(frame.GetByText("Hi Hank, here is")).ToBeVisibleAsync();
        var popup = recipient.Page.Context.WaitForPageAsync();
        await frame.GetByRole(AriaRole.Link, new() { Name = "our price list" }).ClickAsync();
        await Expect(await popup).ToHaveURLAsync(landing);
        await Expect(hank.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await Expect(hank.GetByRole(AriaRole.Img, new() { Name = "Link clicked" })).ToBeVisibleAsync();

        await mail.OpenTemplatesAsync();
        var row = mail.TemplateRow("Intro");
        await Expect(row.Locator("[data-testid=sent]")).ToHaveTextAsync("2");
        await Expect(row.Locator("[data-testid=open-rate]")).ToHaveTextAsync("50%");
        await Expect(row.Locator("[data-testid=click-rate]")).ToHaveTextAsync("50%");
        await Expect(row.Locator("[data-testid=reply-rate]")).ToHaveTextAsync("0%");

        await using var db = await app.DbAsync();
        var template = await db.EmailTemplates.SingleAsync(t => t.Name == "Intro");
        Assert.Equal(2, await db.Messages.CountAsync(m => m.TemplateId == template.Id && m.Folder == MailTracker.Core.Messages.MailFolder.Sent));
    }
}
