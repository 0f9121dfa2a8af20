using MailTracker.Core.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Settings › Email integration and Settings › Billing, by the names in UI-CONTRACT.md.</summary>
public sealed class SettingsPages(IPage page)
{
    public async Task OpenEmailIntegrationAsync()
    {
        await page.GotoAsync("/settings/email-integration");
        await new AppPages(page).WaitUntilInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email integration" })).ToBeVisibleAsync();
    }

    public async Task OpenBillingAsync()
    {
        await page.GotoAsync("/settings/billing");
        await new AppPages(page).WaitUntilInteractiveAsync();
    }

    /// <summary>Types the settings into the form, the way a user would.</summary>
    public async Task FillMailboxAsync(MailboxSettings settings)
    {
        await Textbox("Email address").FillAsync(settings.EmailAddress);
        await Textbox("SMTP host").FillAsync(settings.SmtpHost);
        await Textbox("SMTP port").FillAsync(settings.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ChooseAsync("SMTP security", SecurityName(settings.SmtpSecurity));
        await Textbox("SMTP username").FillAsync(settings.SmtpUsername);
        await Textbox("SMTP password").FillAsync(settings.SmtpPassword);
        await Textbox("IMAP host").FillAsync(settings.ImapHost);
        await Textbox("IMAP port").FillAsync(settings.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ChooseAsync("IMAP security", SecurityName(settings.ImapSecurity));
        await Textbox("IMAP username").FillAsync(settings.ImapUsername);
        await Textbox("IMAP password").FillAsync(settings.ImapPassword);
    }

    public Task ConnectAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();

    /// <summary>Clicks <c>Connect ‹provider›</c> and agrees on the provider's consent page; back on this page when it returns.</summary>
    public async Task ConnectWithProviderAsync(string provider)
    {
        // The round trip (app, provider, back, both servers tested) is part of the click (it waits for the navigations),
        // and on a busy machine can outlast the default timeout.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Connect {provider}", Exact = true }).ClickAsync(new() { Timeout = 60_000 });
        await AllowAtProviderAsync();
    }

    /// <summary>On the provider's consent page (the test OAuth server's): allow access, and wait to be back here.</summary>
    public async Task AllowAtProviderAsync()
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Allow MailTracker to use your mailbox?" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow access", Exact = true }).ClickAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email integration" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await new AppPages(page).WaitUntilInteractiveAsync();
    }

    public Task ReconnectAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Reconnect", Exact = true }).ClickAsync(new() { Timeout = 60_000 });

    public ILocator MailboxProvider => page.GetByTestId("mailbox-provider");

    public async Task DisconnectAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Disconnect", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disconnect", Exact = true }).ClickAsync();
    }

    public ILocator Switch(string name) => page.GetByRole(AriaRole.Switch, new() { Name = name, Exact = true });

    public ILocator ConnectedMailbox => page.GetByTestId("connected-mailbox");

    public ILocator CurrentPlan => page.GetByTestId("current-plan");

    public async Task ChangePlanAsync(string plan)
    {
        await ChooseAsync("Plan", plan);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change plan", Exact = true }).ClickAsync();
        await Expect(CurrentPlan).ToHaveTextAsync(plan);
    }

    private ILocator Textbox(string name) => page.GetByRole(AriaRole.Textbox, new() { Name = name, Exact = true });

    private async Task ChooseAsync(string select, string option)
    {
        var combobox = page.GetByRole(AriaRole.Combobox, new() { Name = select, Exact = true });
        await combobox.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(combobox).ToHaveTextAsync(option);
    }

    private static string SecurityName(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => "STARTTLS",
        MailSecurity.SslTls => "SSL/TLS",
        _ => "None",
    };
}
