using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>
/// Connect ‹provider› on Settings › Email integration in Chromium, against a generic OAuth 2.0 provider configured to be
/// the test OAuth server, with Dovecot checking the tokens for IMAP and SMTP submission.
/// </summary>
public sealed class OAuthMailboxTests(OAuthMailEnvironment env, BrowserFixture browser)
    : IClassFixture<OAuthMailEnvironment>, IClassFixture<BrowserFixture>
{
    private const string Provider = OAuthMailEnvironment.ProviderName;

    [Fact]
    public async Task ConnectingWithTheProviderSyncsTheInboxAndSendsTrackedMail()
    {
        const string email = "olivia@example.com";
        var user = await env.App.CreateUserAsync(email, name: "Olivia");
        await env.Dovecot.AddUserAsync(email);
        await env.Dovecot.AppendAsync(email, TestMessages.Create("Welcome to your OAuth mailbox", from: "Sam <sam@example.net>", to: email));
        await using var context = await browser.NewContextAsync(env.App);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        var settings = new SettingsPages(page);
        await pages.SignInAsync(email);

        await ConnectAsync(settings, email);

        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email);
        await Expect(settings.MailboxProvider).ToContainTextAsync($"Signed in with {Provider}");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Connected with {Provider}" })).ToBeVisibleAsync();
        await pages.OpenMailAsync();
        await Expect(pages.MessageRow("Welcome to your OAuth mailbox")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        await pages.ComposeAndSendAsync("Frank <frank@example.com>", "Pricing over OAuth", "Hello Frank, here is", "the pricing page", $"{env.App.BaseUrl}/healthz");
        await SentAsync("Pricing over OAuth");
        var frame = await new AppPages(await context.NewPageAsync()).OpenInSandboxAsync("Pricing over OAuth");
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        await using (var db = await env.App.DbAsync())
        {
            var account = await db.MailAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == user.Id);
            Assert.Null(account.ImapPasswordProtected);
            Assert.Null(account.SmtpPasswordProtected);
            Assert.NotNull(account.OAuthRefreshTokenProtected);
        }

        // Disconnect revokes the grant at the provider and keeps the mail.
        Assert.True(await env.Provider.HasLiveRefreshTokenAsync(email));
        await settings.OpenEmailIntegrationAsync();
        await settings.DisconnectAsync();
        await Expect(page.GetByText("Local mail sandbox (built in)")).ToBeVisibleAsync();
        Assert.False(await env.Provider.HasLiveRefreshTokenAsync(email));
        await pages.OpenMailAsync();
        await Expect(pages.MessageRow("Welcome to your OAuth mailbox")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnAccessTokenThatStopsWorkingIsRenewedWithoutTheUserNoticing()
    {
        const string email = "paul@example.com";
        await env.App.CreateUserAsync(email, name: "Paul");
        await env.Dovecot.AddUserAsync(email);
        await using var context = await browser.NewContextAsync(env.App);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        var settings = new SettingsPages(page);
        await pages.SignInAsync(email);
        await ConnectAsync(settings, email);
        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email);

        // The provider no longer honours the access token (as at its expiry); the refresh token is still good.
        await env.Provider.ExpireAccessTokensAsync(email);
        var refreshes = env.Provider.RefreshGrants;
        await pages.OpenMailAsync();
        await pages.ComposeAndSendAsync("Frank <frank@example.com>", "Sent with a renewed token", "Hello again");

        await SentAsync("Sent with a renewed token");
        Assert.True(env.Provider.RefreshGrants > refreshes, "the access token was renewed with the refresh token");
        await settings.OpenEmailIntegrationAsync();
        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reconnect", Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ARevokedRefreshTokenAsksToReconnectAndTheOutboxKeepsTheMailUntilThen()
    {
        const string email = "quinn@example.com";
        await env.App.CreateUserAsync(email, name: "Quinn");
        await env.Dovecot.AddUserAsync(email);
        await using var context = await browser.NewContextAsync(env.App);
        var page = await context.NewPageAsync();
        var pages = new AppPages(page);
        var settings = new SettingsPages(page);
        await pages.SignInAsync(email);
        await ConnectAsync(settings, email);
        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email);

        // The user removes MailTracker's access at the provider.
        await env.Provider.RevokeEverythingAsync(email);
        await pages.OpenMailAsync();
        await pages.ComposeAndSendAsync("Frank <frank@example.com>", "Waiting for reconnection", "Hello, this waits");

        var held = await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await env.App.DbAsync();
            return await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Subject == "Waiting for reconnection" && m.LastError != null);
        }, "the message held with a reason");
        Assert.Equal(MessageStatus.Queued, held.Status);
        Assert.Equal(0, held.Attempts);

        await Expect(pages.BellCount).ToHaveTextAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Reconnect your {Provider} mailbox" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");

        await pages.OpenMailAsync("Outbox");
        await Expect(pages.MessageRow("Waiting for reconnection")).ToContainTextAsync("Reconnect the mailbox");

        await settings.OpenEmailIntegrationAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"Reconnect your {Provider} mailbox" })).ToBeVisibleAsync();
        await settings.ReconnectAsync();
        await settings.AllowAtProviderAsync();

        await SentAsync("Waiting for reconnection");
        await Expect(settings.ConnectedMailbox).ToHaveTextAsync(email);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reconnect", Exact = true })).ToHaveCountAsync(0);
        await using var after = await env.App.DbAsync();
        Assert.Equal(1, (await after.Messages.AsNoTracking().SingleAsync(m => m.Subject == "Waiting for reconnection")).Attempts);
    }

    private async Task ConnectAsync(SettingsPages settings, string email)
    {
        env.Provider.User = email;
        await settings.OpenEmailIntegrationAsync();
        await settings.ConnectWithProviderAsync(Provider);
    }

    private Task SentAsync(string subject) => Eventually.TrueAsync(async () =>
    {
        await using var db = await env.App.DbAsync();
        return await db.Messages.AnyAsync(m => m.Subject == subject && m.Status == MessageStatus.Sent);
    }, $"“{subject}” sent", TimeSpan.FromSeconds(30));
}
