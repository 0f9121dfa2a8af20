using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>The Gold plan gate: tracking is part of email sync on Gold; below it, the switches say how to get it back.</summary>
public sealed class PlanGateTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OnSilverTrackingIsUnavailableWithTheWayToUpgradeAndOnGoldItIsBack()
    {
        var admin = await app.CreateUserAsync("owner@example.com", name: "Olga", role: Roles.Admin);
        await TestMail.SendAsync(app, admin, subject: "Tracked while on Gold");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        var settings = new SettingsPages(page);
        await pages.SignInAsync("owner@example.com");

        await settings.OpenBillingAsync();
        await Expect(settings.CurrentPlan).ToHaveTextAsync("Gold");
        await settings.ChangePlanAsync("Silver");

        await settings.OpenEmailIntegrationAsync();
        await Expect(settings.Switch("Open tracking")).ToBeDisabledAsync();
        await Expect(settings.Switch("Link tracking")).ToBeDisabledAsync();
        var note = page.GetByRole(AriaRole.Link, new() { Name = "Email tracking is available on the Gold plan — Settings › Billing › Change plan" });
        await Expect(note).ToBeVisibleAsync();

        await pages.OpenMailAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable email open tracking" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable link click tracking" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();

        // Mail tracked before the change keeps its icons and history.
        await pages.OpenMailAsync("Sent");
        await Expect(pages.MessageRow("Tracked while on Gold").GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();

        // The note is the way back.
        await settings.OpenEmailIntegrationAsync();
        await note.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/billing$"));
        await new AppPages(page).WaitUntilInteractiveAsync();
        await settings.ChangePlanAsync("Gold");

        await settings.OpenEmailIntegrationAsync();
        await Expect(settings.Switch("Open tracking")).ToBeEnabledAsync();
        await Expect(note).ToHaveCountAsync(0);
        await settings.Switch("Link tracking").UncheckAsync();
        await pages.OpenMailAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable email open tracking" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable link click tracking" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task BillingIsForAdminsOnly()
    {
        await app.CreateUserAsync("member@example.com", name: "Mark", role: Roles.User);
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await new AppPages(page).SignInAsync("member@example.com");

        await page.GotoAsync("/settings/billing");

        await Expect(page.GetByText("You do not have access to this page.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change plan" })).ToHaveCountAsync(0);
    }
}
