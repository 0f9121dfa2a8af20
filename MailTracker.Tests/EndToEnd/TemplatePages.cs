using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>The template parts of the composer and Settings › Templates, as a user works them (kept beside <see cref="AppPages"/>).</summary>
public static class TemplatePages
{
    /// <summary>Adds a link at the end of the composer's message with the toolbar's link button.</summary>
    public static async Task AddLinkAsync(this AppPages app, string text, string url)
    {
        var page = app.Page;
        var message = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await message.PressAsync("End");
        await message.PressSequentiallyAsync(" " + text);
        for (var i = 0; i < text.Length; i++)
        {
            await message.PressAsync("Shift+ArrowLeft");
        }

        void Accept(object? sender, IDialog dialog) => _ = dialog.AcceptAsync(url);
        page.Dialog += Accept;
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert link" }).ClickAsync();
        await Expect(message.Locator("a")).ToHaveAttributeAsync("href", url);
        page.Dialog -= Accept;
    }

    /// <summary>Sets a composer toggle (open or link tracking) on or off.</summary>
    public static async Task SetTrackingAsync(this AppPages app, string name, bool on)
    {
        var toggle = app.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
        if (await toggle.GetAttributeAsync("aria-pressed") != (on ? "true" : "false"))
        {
            await toggle.ClickAsync();
        }

        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", on ? "true" : "false");
    }

    /// <summary>Save as template, under a name; the composer stays open.</summary>
    public static async Task SaveAsTemplateAsync(this AppPages app, string name)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as template", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Template name" }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Template name" })).ToHaveCountAsync(0);
    }

    /// <summary>Opens the composer and starts the message from a template.</summary>
    public static async Task ComposeFromTemplateAsync(this AppPages app, string template)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert template", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = template, Exact = true }).ClickAsync();
    }

    public static async Task OpenTemplatesAsync(this AppPages app)
    {
        await app.Page.GotoAsync("/settings/templates");
        await app.WaitUntilInteractiveAsync();
        await Expect(app.Page.GetByRole(AriaRole.Heading, new() { Name = "Templates", Level = 1 })).ToBeVisibleAsync();
    }

    public static ILocator TemplateRow(this AppPages app, string name) =>
        app.Page.Locator(".templates-table tbody tr").Filter(new() { HasText = name });
}
