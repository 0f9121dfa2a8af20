using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Connecting a real (Dovecot) mailbox on Settings › Email integration in Chromium, and what the Mail tab shows then.</summary>
public sealed class EmailIntegrationTests(MailTrackerApp app, DovecotServer dovecot, BrowserFixture browser)
    : IClassFixture<MailTrackerApp>, IClassFixture<DovecotServer>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ConnectingOnTheSettingsPageBringsTheInboxInAndNewMailAppearsWithoutAReload()
    {
        const string email = "rita@example.com";
        await app.CreateUserAsync(email, name: "Rita");
        await dovecot.AddUserAsync(email);
        await dovecot.AppendAsync(email, TestMessages.Create("Welcome aboard", from: "Sam <sam@example.net>", to: email));
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        var settings = new SettingsPages(page);
        await pages.SignInAsync(email);

        await settings.OpenEmailIntegrationAsync();
        await Expect(page.GetByText("Local mail sandbox (built in)")).ToBeVisibleAsync();
        await settings.FillMailboxAsync(SyncedMailbox.Settings(app, dovecot, email));
        await settings.ConnectAsync();

        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email, new() { Timeout = 20_000 });
        await Expect(page.Locator(".sync-folder[data-folder=Inbox]")).ToContainTextAsync("last synced", new() { Timeout = 20_000 });

        await pages.OpenMailAsync();
        await Expect(pages.MessageRow("Welcome aboard")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.stillTheSamePage = true");

        // The sync checks on its own only every minute; this arrives through IMAP IDLE and a push to the open tab.
        await dovecot.AppendAsync(email, TestMessages.Create("Arrived while watching", from: "Sam <sam@example.net>", to: email));
        await Expect(pages.MessageRow("Arrived while watching")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the Mail tab must not have reloaded");

        await settings.OpenEmailIntegrationAsync();
        await settings.DisconnectAsync();
        await Expect(page.GetByText("Local mail sandbox (built in)")).ToBeVisibleAsync();
        await pages.OpenMailAsync();
        await Expect(pages.MessageRow("Welcome aboard")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AWrongPasswordIsExplainedAndNothingIsSaved()
    {
        const string email = "tom@example.com";
        var user = await app.CreateUserAsync(email, name: "Tom");
        await dovecot.AddUserAsync(email);
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var settings = new SettingsPages(page);
        await new AppPages(page).SignInAsync(email);

        await settings.OpenEmailIntegrationAsync();
        await settings.FillMailboxAsync(SyncedMailbox.Settings(app, dovecot, email, imapPassword: "guess"));
        await settings.ConnectAsync();

        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Nothing was saved" });
        await Expect(alert).ToContainTextAsync("IMAP: the user name or password was not accepted.", new() { Timeout = 20_000 });
        await Expect(alert).ToContainTextAsync("SMTP works.");
        await Expect(page.GetByText("Local mail sandbox (built in)")).ToBeVisibleAsync();
        await using var db = await app.DbAsync();
        var account = await db.MailAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == user.Id);
        Assert.True(account.IsSandbox);
        Assert.Null(account.ImapPasswordProtected);
    }
}
