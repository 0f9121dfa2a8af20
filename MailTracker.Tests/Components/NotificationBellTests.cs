using Bunit;
using Bunit.TestDoubles;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Layout;
using MailTracker.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components;

public sealed class NotificationBellTests : ComponentTestBase
{
    private async Task<(string UserId, long MessageId)> SeedAsync(int unread, int read = 0, string? otherUserId = null)
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        var account = new Core.Accounts.MailAccount { OwnerId = userId, EmailAddress = "rep@example.com", IsSandbox = true };
        db.MailAccounts.Add(account);
        await db.SaveChangesAsync();
        var message = Message.Queue(new OutgoingMail
        {
            OwnerId = userId, MailAccountId = account.Id, FromAddress = "rep@example.com", To = "Bob <bob@example.com>",
            Subject = "Pricing", MessageIdHeader = "m1@example.com", OpenTracking = true, LinkTracking = true, HtmlBody = "<p>x</p>",
        }, Clock.GetUtcNow().UtcDateTime);
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        for (var i = 0; i < unread + read; i++)
        {
            var at = Clock.GetUtcNow().UtcDateTime.AddMinutes(-10 * (i + 1));
            db.Notifications.Add(new Notification
            {
                UserId = otherUserId ?? userId,
                MessageId = message.Id,
                Kind = i % 2 == 0 ? TrackingKind.Open : TrackingKind.Click,
                Actor = "Bob",
                Subject = "Pricing",
                Url = i % 2 == 0 ? null : "https://example.com/pricing",
                CreatedAt = at,
                UpdatedAt = at,
                IsRead = i >= unread,
            });
        }

        await db.SaveChangesAsync();
        return (userId, message.Id);
    }

    private IRenderedComponent<NotificationBell> RenderBell() => Render<NotificationBell>();

    private static string BellText(IRenderedComponent<NotificationBell> bell) =>
        bell.Find("button[aria-label=Notifications]").TextContent.Trim();

    [Fact]
    public async Task TheBadgeShowsTheUnreadCountAndNothingAtZero()
    {
        await SeedAsync(unread: 2, read: 3);

        var bell = RenderBell();

        bell.WaitForAssertion(() => Assert.Equal("2", BellText(bell)));
    }

    [Fact]
    public async Task AMailboxThatMustBeReconnectedCountsAndLeadsToTheSettingsPage()
    {
        Services.Configure<Core.Accounts.OAuth.MailboxOAuthOptions>(o =>
        {
            o.Google.ClientId = "google-client";
            o.Google.ClientSecret = "google-secret";
        });
        var userId = await SignInAsync();
        await using (var db = await Db())
        {
            db.MailAccounts.Add(new Core.Accounts.MailAccount
            {
                OwnerId = userId, EmailAddress = "rep@example.com", ImapHost = "imap.gmail.com", ImapPort = 993,
                OAuthProvider = Core.Accounts.OAuth.MailboxOAuthProviders.Google, OAuthRefreshTokenProtected = "protected",
                ReconnectReason = "invalid_grant: Token has been expired or revoked.",
            });
            await db.SaveChangesAsync();
        }

        var provider = Render<MudPopoverProvider>();
        var bell = RenderBell();
        bell.WaitForAssertion(() => Assert.Equal("1", BellText(bell)));
        await bell.Find("button[aria-label=Notifications]").ClickAsync(new());

        provider.WaitForAssertion(() =>
        {
            var link = provider.FindAll("a").Single(a => a.TextContent.Trim() == "Reconnect your Google mailbox");
            Assert.EndsWith("settings/email-integration", link.GetAttribute("href"));
        });
    }

    [Fact]
    public async Task AWebhookEndpointDisabledForFailingCountsInTheBellAndLeadsToIntegrations()
    {
        var ownerId = await SignInAsync();
        await using (var db = await Db())
        {
            db.WebhookEndpoints.Add(new Core.Webhooks.WebhookEndpoint
            {
                OwnerId = ownerId, Url = "https://crm.example.com/hooks", Events = Core.Webhooks.WebhookEvents.All, ProtectedSecret = "x",
                Enabled = false, FailingSince = Clock.GetUtcNow().UtcDateTime.AddDays(-1), DisabledAt = Clock.GetUtcNow().UtcDateTime,
            });
            // Switched off by an admin (no DisabledAt): nothing to say.
            db.WebhookEndpoints.Add(new Core.Webhooks.WebhookEndpoint
            {
                OwnerId = ownerId, Url = "https://old.example.com/hooks", Events = Core.Webhooks.WebhookEvents.All, ProtectedSecret = "x", Enabled = false,
            });
            await db.SaveChangesAsync();
        }

        var provider = Render<MudPopoverProvider>();
        var bell = RenderBell();
        bell.WaitForAssertion(() => Assert.Equal("1", BellText(bell)));
        await bell.Find("button[aria-label=Notifications]").ClickAsync(new());

        provider.WaitForAssertion(() =>
        {
            var link = provider.FindAll("a").Single(a => a.TextContent.Contains("was disabled after failing for a day"));
            Assert.Contains("https://crm.example.com/hooks", link.TextContent);
            Assert.EndsWith("settings/integrations", link.GetAttribute("href"));
        });
        Assert.DoesNotContain(provider.FindAll("a"), a => a.TextContent.Contains("old.example.com"));
    }

    [Fact]
    public async Task WithNothingUnreadTheButtonHasNoCount()
    {
        await SeedAsync(unread: 0, read: 1);

        var bell = RenderBell();

        // Once the count has been read (the button is no longer busy) there is still no count to show.
        bell.WaitForAssertion(() => Assert.Equal("false", bell.Find("button[aria-label=Notifications]").GetAttribute("aria-busy")));
        Assert.Empty(bell.FindAll(".bell-count"));
        Assert.Equal("", BellText(bell));
    }

    [Fact]
    public async Task ThePanelListsEntriesNewestFirstWithRelativeAndExactTimes()
    {
        await SeedAsync(unread: 2);
        var provider = Render<MudPopoverProvider>();
        var bell = RenderBell();

        await bell.Find("button[aria-label=Notifications]").ClickAsync(new());

        provider.WaitForAssertion(() =>
        {
            var entries = provider.FindAll(".bell-entry-button");
            Assert.Equal(2, entries.Count);
            Assert.Contains("Bob opened “Pricing”", entries[0].TextContent);
            Assert.Contains("10 min ago", entries[0].TextContent);
            Assert.Equal("27 Nov 2026, 14:50", entries[0].QuerySelector(".bell-entry-time")!.GetAttribute("title"));
            Assert.Contains("Bob clicked https://example.com/pricing", entries[1].TextContent);
        });
    }

    [Fact]
    public async Task SelectingAnEntryMarksItReadAndOpensTheMessage()
    {
        var (userId, messageId) = await SeedAsync(unread: 2);
        var provider = Render<MudPopoverProvider>();
        var bell = RenderBell();
        await bell.Find("button[aria-label=Notifications]").ClickAsync(new());

        await provider.WaitForElement(".bell-entry-button").ClickAsync(new());

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        bell.WaitForAssertion(() => Assert.EndsWith($"/mail/{messageId}", navigation.Uri));
        Assert.Equal(1, await Services.GetRequiredService<NotificationCenter>().UnreadCountAsync(userId));
    }

    [Fact]
    public async Task MarkAllAsReadClearsTheBadgeAndTellsTheUsersOtherTabs()
    {
        var (userId, _) = await SeedAsync(unread: 3);
        var provider = Render<MudPopoverProvider>();
        var bell = RenderBell();
        await bell.Find("button[aria-label=Notifications]").ClickAsync(new());

        provider.WaitForElements(".bell-entry-button");
        await provider.FindAll("button").Single(b => b.TextContent.Trim() == "Mark all as read").ClickAsync(new());

        bell.WaitForAssertion(() => Assert.Equal("", BellText(bell)));
        Assert.Contains(Pushes.Sent, p => p.UserId == userId && p.Event.Kind == UserPushKinds.NotificationsRead);
    }

    [Fact]
    public async Task APushedHitUpdatesTheBadgeWithoutAReload()
    {
        var (userId, messageId) = await SeedAsync(unread: 1);
        var bell = RenderBell();
        bell.WaitForAssertion(() => Assert.Equal("1", BellText(bell)));
        await using (var db = await Db())
        {
            db.Notifications.Add(new Notification { UserId = userId, MessageId = messageId, Actor = "Bob", Subject = "Pricing", CreatedAt = Clock.GetUtcNow().UtcDateTime, UpdatedAt = Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }

        await bell.InvokeAsync(() => Services.GetRequiredService<LiveUpdates>().PublishAsync(new UserPushEvent(UserPushKinds.Tracking, messageId, 2)));

        bell.WaitForAssertion(() => Assert.Equal("2", BellText(bell)));
    }

    [Fact]
    public async Task AnotherUsersNotificationsNeverShow()
    {
        await using (var db = await Db())
        {
            db.Users.Add(new Core.Accounts.AppUser { Id = "someone-else", UserName = "else@example.com", Email = "else@example.com" });
            await db.SaveChangesAsync();
        }

        await SeedAsync(unread: 0, read: 0);
        await SeedOtherAsync();
        var bell = RenderBell();

        bell.WaitForAssertion(() => Assert.Equal("", BellText(bell)));
    }

    private async Task SeedOtherAsync()
    {
        await using var db = await Db();
        var messageId = db.Messages.Select(m => m.Id).First();
        db.Notifications.Add(new Notification { UserId = "someone-else", MessageId = messageId, Actor = "X", Subject = "Secret", CreatedAt = Clock.GetUtcNow().UtcDateTime, UpdatedAt = Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }
}
