using AngleSharp.Dom;
using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Settings;

/// <summary>The Email integration form: names from UI-CONTRACT.md, provider presets, and field checks before any test.</summary>
public sealed class EmailIntegrationPageTests : ComponentTestBase
{
    public EmailIntegrationPageTests()
    {
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton<MailboxSecrets>();
        Services.AddSingleton<ImapConnector>();
        Services.AddSingleton<MailboxConnectionTester>();
        Services.AddSingleton<MailboxConnections>();
        Services.AddSingleton<TrackingPreferences>();
        Services.AddSingleton<TrackingBaseUrl>();
        Services.Configure<TrackingOptions>(o => o.PublicBaseUrl = "https://track.example.com");
    }

    [Fact]
    public async Task TheFormHasTheContractsFieldsAndChoosingGmailFillsItsServers()
    {
        await SandboxUserAsync();
        var provider = Render<MudPopoverProvider>();
        var cut = Render<EmailIntegrationPage>();
        cut.WaitForElement("input[type=email]");

        foreach (var name in new[] { "Email address", "SMTP host", "SMTP port", "SMTP username", "SMTP password", "IMAP host", "IMAP port", "IMAP username", "IMAP password" })
        {
            Assert.NotNull(Field(cut, name));
        }

        Assert.Equal(["Provider", "SMTP security", "IMAP security"], cut.FindAll("[role=combobox]").Select(c => c.GetAttribute("aria-label")));
        Assert.Equal("password", Field(cut, "IMAP password").GetAttribute("type"));

        await cut.Find("[role=combobox][aria-label=Provider]").MouseDownAsync(new());
        await provider.WaitForElements("[role=option]").Single(o => o.TextContent.Trim() == "Gmail").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("smtp.gmail.com", Field(cut, "SMTP host").GetAttribute("value")));
        Assert.Equal("465", Field(cut, "SMTP port").GetAttribute("value"));
        Assert.Equal("imap.gmail.com", Field(cut, "IMAP host").GetAttribute("value"));
        Assert.Equal("993", Field(cut, "IMAP port").GetAttribute("value"));
        Assert.Equal("SSL/TLS", cut.Find("[role=combobox][aria-label='SMTP security']").TextContent.Trim());
        // Gmail files sent mail itself: appending a copy too would show every message twice.
        Assert.Equal("false", SentCopySwitch(cut).GetAttribute("aria-checked"));
    }

    [Fact]
    public async Task MissingFieldsAreMarkedAndNothingIsTried()
    {
        await SandboxUserAsync();
        Render<MudPopoverProvider>();
        var cut = Render<EmailIntegrationPage>();
        await cut.WaitForElement("input[type=email]").ChangeAsync(new() { Value = "not an address" });

        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Connect").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("true", Field(cut, "IMAP password").GetAttribute("aria-invalid")));
        Assert.Equal("true", Field(cut, "Email address").GetAttribute("aria-invalid"));
        Assert.Equal("true", Field(cut, "SMTP host").GetAttribute("aria-invalid"));
        Assert.Contains("Enter a valid email address.", cut.Markup);
        Assert.Empty(cut.FindAll(".connection-result"));
    }

    [Fact]
    public async Task ConfiguredProvidersOfferConnectButtonsAndOthersNone()
    {
        Services.Configure<MailboxOAuthOptions>(o =>
        {
            o.Google.ClientId = "google-client";
            o.Google.ClientSecret = "google-secret";
            o.Microsoft.ClientId = "microsoft-client";
            o.Microsoft.ClientSecret = "microsoft-secret";
        });
        await SandboxUserAsync();
        Render<MudPopoverProvider>();
        var cut = Render<EmailIntegrationPage>();
        cut.WaitForElement("input[type=email]");

        var buttons = cut.FindAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Contains("Connect Google", buttons);
        Assert.Contains("Connect Microsoft 365", buttons);
        Assert.DoesNotContain(buttons, b => b.StartsWith("Connect ", StringComparison.Ordinal) && b is not ("Connect Google" or "Connect Microsoft 365"));
    }

    [Fact]
    public async Task WithoutConfiguredProvidersThereIsOnlyTheManualForm()
    {
        await SandboxUserAsync();
        Render<MudPopoverProvider>();
        var cut = Render<EmailIntegrationPage>();
        cut.WaitForElement("input[type=email]");

        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim().StartsWith("Connect ", StringComparison.Ordinal));
        Assert.Single(cut.FindAll("button"), b => b.TextContent.Trim() == "Connect");
    }

    private static IElement Field(IRenderedComponent<EmailIntegrationPage> cut, string label)
    {
        var forId = cut.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        return cut.Find($"#{forId}");
    }

    private static IElement SentCopySwitch(IRenderedComponent<EmailIntegrationPage> cut) =>
        cut.FindAll("label.mud-switch").Single(l => l.TextContent.Contains("Save a copy of sent mail", StringComparison.Ordinal)).QuerySelector("input[role=switch]")!;

    private async Task SandboxUserAsync()
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        db.Workspaces.Add(new Workspace());
        db.MailAccounts.Add(new MailAccount { OwnerId = userId, EmailAddress = "rep@example.com", IsSandbox = true });
        await db.SaveChangesAsync();
    }
}
