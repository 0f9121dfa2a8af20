using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class FirstRunTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task FirstAccountIsCreatedAtSetupThenSignOutAndSignInAgain()
    {
        app.Start();
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);

        await pages.CreateFirstAccountAsync("Anna Admin", "anna@example.com");

        await Expect(page).ToHaveURLAsync(new Regex("/mail$"));
        foreach (var link in new[] { "Mail", "Contacts", "Deals", "Insights", "Settings" })
        {
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true })).ToBeVisibleAsync();
        }

        var bell = page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true });
        await Expect(bell).ToBeVisibleAsync();
        await Expect(bell).ToHaveTextAsync("");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Compose" })).ToBeVisibleAsync();

        await pages.SignOutAsync();
        await page.GotoAsync("/mail");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));

        await pages.SignInAsync("anna@example.com");
        await Expect(page).ToHaveURLAsync(new Regex("/mail$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mail", Exact = true })).ToBeVisibleAsync();

        // Setup is done once: it now leads to sign-in.
        await using var other = await browser.NewContextAsync(app);
        var visitor = await other.NewPageAsync();
        await visitor.GotoAsync("/setup");
        await Expect(visitor).ToHaveURLAsync(new Regex("/Account/Login"));
    }
}

public sealed class ShellTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignedOutVisitorsReachOnlySignInHealthAndTracking()
    {
        await app.CreateUserAsync("shell@example.com");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        foreach (var path in new[] { "/mail", "/mail/sent", "/contacts", "/settings/email-integration", "/sandbox", "/insights" })
        {
            await page.GotoAsync(path);
            await Expect(page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl="));
        }

        var health = await page.GotoAsync("/healthz");
        Assert.Equal(200, health!.Status);
        var pixel = await page.GotoAsync("/t/o/AAAAAAAAAAAAAAAAAAAAAA.gif");
        Assert.Equal("image/gif", pixel!.Headers["content-type"]);
    }

    [Fact]
    public async Task TheShellSwitchesToPolishAndBackAndRemembersTheChoice()
    {
        await app.CreateUserAsync("polski@example.com");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        await pages.SignInAsync("polski@example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Polski" }).ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pl");
        await pages.WaitUntilInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Poczta", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Napisz" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Powiadomienia" })).ToBeVisibleAsync();

        // The choice belongs to the user: a new browser signs in to Polish.
        await using var second = await browser.NewContextAsync(app);
        var elsewhere = new AppPages(await second.NewPageAsync());
        await elsewhere.SignInAsync("polski@example.com");
        await Expect(elsewhere.Page.GetByRole(AriaRole.Link, new() { Name = "Poczta", Exact = true })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Menu konta" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Mail", Exact = true })).ToBeVisibleAsync();
    }
}
