using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Page objects: what a user does, by the names in UI-CONTRACT.md.</summary>
public sealed class AppPages(IPage page)
{
    public IPage Page => page;

    /// <summary>Waits until the circuit is live; clicks during prerendering would be lost.</summary>
    public Task WaitUntilInteractiveAsync() =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public async Task CreateFirstAccountAsync(string name, string email, string password = TestUsers.Password)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/setup$"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(name);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await WaitUntilInteractiveAsync();
    }

    public async Task SignInAsync(string email, string password = TestUsers.Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await WaitUntilInteractiveAsync();
    }

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }

    public async Task OpenMailAsync(string folder = "Inbox")
    {
        await page.GotoAsync(folder switch { "Sent" => "/mail/sent", "Outbox" => "/mail/outbox", _ => "/mail" });
        await WaitUntilInteractiveAsync();
    }

    /// <summary>
    /// Writes and sends a message from the composer; the link, if any, is made with the toolbar's link button.
    /// With no <paramref name="to"/>, the recipients the composer was opened with (a detail view's person) stay.
    /// </summary>
    public async Task ComposeAndSendAsync(string? to, string subject, string body, string? linkText = null, string? linkUrl = null,
        bool openTracking = true, bool linkTracking = true, bool? eachRecipient = null)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose", Exact = true }).ClickAsync();
        if (to is not null)
        {
            await page.GetByRole(AriaRole.Textbox, new() { Name = "To" }).FillAsync(to);
        }

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }).FillAsync(subject);
        var message = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await message.FillAsync(body);
        if (linkText is not null && linkUrl is not null)
        {
            await message.PressAsync("End");
            await message.PressSequentiallyAsync(" " + linkText);
            for (var i = 0; i < linkText.Length; i++)
            {
                await message.PressAsync("Shift+ArrowLeft");
            }

            void Accept(object? sender, IDialog dialog) => _ = dialog.AcceptAsync(linkUrl);
            page.Dialog += Accept;
            await page.GetByRole(AriaRole.Button, new() { Name = "Insert link" }).ClickAsync();
            await Expect(message.Locator("a")).ToHaveAttributeAsync("href", linkUrl);
            page.Dialog -= Accept;
        }

        await SetToggleAsync("Enable email open tracking", openTracking);
        await SetToggleAsync("Enable link click tracking", linkTracking);
        if (eachRecipient is { } each)
        {
            await page.GetByRole(AriaRole.Switch, new() { Name = "Track each recipient separately" }).SetCheckedAsync(each);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    private async Task SetToggleAsync(string name, bool on)
    {
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
        if (await toggle.GetAttributeAsync("aria-pressed") != (on ? "true" : "false"))
        {
            await toggle.ClickAsync();
        }

        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", on ? "true" : "false");
    }

    /// <summary>Adds a person from the Contacts page; ends on their detail view.</summary>
    public async Task AddPersonAsync(string name, string email, string organization = "", string phone = "", bool doNotTrack = false)
    {
        await page.GotoAsync("/contacts");
        await WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Organization" }).FillAsync(organization);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Phone" }).FillAsync(phone);
        await page.GetByRole(AriaRole.Switch, new() { Name = "Do not track" }).SetCheckedAsync(doNotTrack);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/contacts/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Adds a deal from the Deals page, choosing its person by typing part of their name; ends on its detail view.</summary>
    public async Task AddDealAsync(string title, string value, string currency, string stage, string? person = null)
    {
        await page.GotoAsync("/deals");
        await WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add deal" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync(title);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync(value);
        await ChooseAsync("Currency", currency);
        await ChooseAsync("Stage", stage);
        if (person is not null)
        {
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Person" }).FillAsync(person);
            await page.GetByRole(AriaRole.Option, new() { Name = person }).First.ClickAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/deals/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
    }

    private async Task ChooseAsync(string select, string option)
    {
        await page.GetByRole(AriaRole.Combobox, new() { Name = select }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
    }

    /// <summary>The composer's notice that a recipient is marked Do not track.</summary>
    public ILocator DoNotTrackNotice => page.GetByRole(AriaRole.Dialog).GetByText("will not be tracked");

    /// <summary>A message in a detail view's email history.</summary>
    public ILocator HistoryRow(string subject) =>
        page.Locator("section.email-history li.message-row").Filter(new() { HasText = subject });

    /// <summary>Sets the Mail tab's filter to exactly these options (by their names), then closes the menu.</summary>
    public async Task FilterMailAsync(params string[] options)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        foreach (var name in new[] { "Email tracking enabled", "Opened", "Not opened", "Clicked" })
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = name, Exact = true }).SetCheckedAsync(options.Contains(name));
        }

        await page.Keyboard.PressAsync("Escape");
    }

    public async Task OpenInsightsAsync()
    {
        await page.GotoAsync("/insights");
        await WaitUntilInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Insights", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>One of Insights' totals (<c>sent</c>, <c>opened</c>, <c>clicked</c>) as shown.</summary>
    public ILocator InsightsTotal(string name) => page.Locator($"[data-testid={name}]");

    /// <summary>Saves a screenshot when MAILTRACKER_SCREENSHOTS names a folder (for looking at pages by hand); else nothing.</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("MAILTRACKER_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    public ILocator MessageRow(string subject) =>
        page.Locator("li.message-row").Filter(new() { HasText = subject });

    /// <summary>The bell's unread count (absent at zero).</summary>
    public ILocator BellCount =>
        page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true }).Locator(".bell-count");

    public async Task OpenTeamAsync()
    {
        await page.GotoAsync("/settings/team");
        await WaitUntilInteractiveAsync();
    }

    public ILocator TeamRow(string email) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = email });

    /// <summary>Settings › Team › Add user, as an admin hands out an account.</summary>
    public async Task AddUserAsync(string name, string email, string password, string role)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password", Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Role" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(TeamRow(email)).ToBeVisibleAsync();
    }

    public async Task DeactivateAsync(string email)
    {
        await TeamRow(email).GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(TeamRow(email)).ToContainTextAsync("Deactivated");
    }

    /// <summary>Opens a delivered message in the sandbox, as its recipient (the copy sent to <paramref name="recipient"/>, if given); returns the frame showing it.</summary>
    public async Task<IFrameLocator> OpenInSandboxAsync(string subject, string? recipient = null)
    {
        await page.GotoAsync("/sandbox");
        await WaitUntilInteractiveAsync();
        var links = page.GetByRole(AriaRole.Link, new() { Name = subject });
        await (recipient is null ? links : links.Filter(new() { HasText = recipient })).First.ClickAsync();
        var frame = page.FrameLocator("iframe.sandbox-frame");
        await Expect(frame.Locator("body")).ToBeVisibleAsync();
        return frame;
    }
}
