using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>The follow-up parts of the composer and the Mail tab, as a user works them (kept beside <see cref="AppPages"/>).</summary>
public static class FollowUpPages
{
    /// <summary>Opens the composer and writes a message, without sending it.</summary>
    public static async Task WriteAsync(this AppPages app, string to, string subject, string body)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "To" }).FillAsync(to);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }).FillAsync(subject);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(body);
    }

    /// <summary>Remind me, with a condition ("if no reply") and a delay ("1 day").</summary>
    public static async Task RemindMeAsync(this AppPages app, string condition, string after)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Remind me", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Remind me when" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = condition, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "After" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = after, Exact = true }).ClickAsync();
    }

    public static async Task SendNowAsync(this AppPages app)
    {
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(app.Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    /// <summary>Send later at a local date and time (the user's time zone).</summary>
    public static async Task SendLaterAsync(this AppPages app, DateTime local)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Send later", Exact = true }).ClickAsync();
        await page.GetByLabel("Date", new() { Exact = true }).FillAsync(local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Time", new() { Exact = true }).FillAsync(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    public static async Task OpenFollowUpFolderAsync(this AppPages app)
    {
        await app.Page.GetByRole(AriaRole.Link, new() { Name = "Follow up", Exact = true }).ClickAsync();
        await Expect(app.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/mail/follow-up$"));
    }
}
