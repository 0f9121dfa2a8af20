using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>
/// A 5 MB body pasted into the composer goes out whole: the editor's HTML is streamed from the browser, not squeezed
/// into one circuit message; a body past the limit is refused in words and nothing is sent.
/// </summary>
public sealed class LargeBodyTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AFiveMegabyteBodyIsSentAndOnePastTheLimitIsRefusedInWords()
    {
        await app.CreateUserAsync("paste@example.com", name: "Paula");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        await pages.SignInAsync("paste@example.com");
        await pages.OpenMailAsync();

        await ComposeAsync(page, "Five megabytes", megabytes: 5);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Messages.AnyAsync(m => m.Subject == "Five megabytes" && m.Status == Core.Messages.MessageStatus.Sent && m.HtmlBody!.Length > 5_000_000);
        }, "the 5 MB message to be sent");

        await pages.OpenMailAsync(); // past the "save as a person?" offer, which covers the Compose button for a while
        await ComposeAsync(page, "Eleven megabytes", megabytes: 11);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert)).ToHaveTextAsync("The message is too large: at most 10 MB.", new() { Timeout = 60_000 });
        await using var check = await app.DbAsync();
        Assert.False(await check.Messages.AnyAsync(m => m.Subject == "Eleven megabytes"));
    }

    private static async Task ComposeAsync(IPage page, string subject, int megabytes)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "To" }).FillAsync("big@example.com");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }).FillAsync(subject);
        // As a paste: the editor's content set in one go.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).EvaluateAsync(
            "(editor, mb) => { editor.innerHTML = Array(mb * 1024).fill('<p>' + 'x'.repeat(1017) + '</p>').join(''); }",
            megabytes);
    }
}
