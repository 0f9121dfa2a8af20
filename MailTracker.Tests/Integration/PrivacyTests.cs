using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Sandbox;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// Team members share an installation, never their mail: another user's message, search hit, sandbox delivery or
/// notification does not exist for you — admins included (docs/decisions/0008-team-privacy.md).
/// </summary>
public sealed class PrivacyTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task AnotherUsersMessageIsNotFoundByItsId()
    {
        var alice = await app.CreateUserAsync("alice@privacy.test", name: "Alice", role: Roles.User);
        await app.CreateUserAsync("bruno@privacy.test", name: "Bruno");
        var sent = await TestMail.SendAsync(app, alice, subject: "Alice secret offer");
        var (asAlice, _) = await TestMail.SignInAsync(app, "alice@privacy.test");
        var (asBruno, _) = await TestMail.SignInAsync(app, "bruno@privacy.test");

        Assert.Contains("secret offer", await asAlice.GetStringAsync($"/mail/{sent.MessageId}"));
        var response = await asBruno.GetAsync($"/mail/{sent.MessageId}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is nothing at this address.", page);
        Assert.DoesNotContain("secret offer", page);
        Assert.DoesNotContain("secret offer", await asBruno.GetStringAsync("/mail/sent"));
    }

    [Fact]
    public async Task SearchFindsOnlyYourOwnMail()
    {
        var carla = await app.CreateUserAsync("carla@privacy.test", name: "Carla", role: Roles.User);
        var dino = await app.CreateUserAsync("dino@privacy.test", name: "Dino", role: Roles.Admin);
        await TestMail.SendAsync(app, carla, subject: "Carla renewal quote");
        var mailbox = app.Service<MailboxQueries>();

        var own = await mailbox.ListAsync(carla.Id, new MailListQuery { Folder = MailFolder.Sent, Search = "renewal quote" });
        var other = await mailbox.ListAsync(dino.Id, new MailListQuery { Folder = MailFolder.Sent, Search = "renewal quote" });

        Assert.Single(own.Items);
        Assert.Empty(other.Items);
        Assert.Null(await mailbox.GetAsync(dino.Id, own.Items[0].Id));
    }

    [Fact]
    public async Task AnotherUsersSandboxDeliveryIsNotFound()
    {
        var erin = await app.CreateUserAsync("erin@privacy.test", name: "Erin", role: Roles.User);
        await app.CreateUserAsync("fred@privacy.test", name: "Fred", role: Roles.User);
        await TestMail.SendAsync(app, erin, subject: "Erin delivery");
        var delivery = Assert.Single(await app.Service<SandboxMailbox>().ListAsync(erin.Id));
        var (asErin, _) = await TestMail.SignInAsync(app, "erin@privacy.test");
        var (asFred, _) = await TestMail.SignInAsync(app, "fred@privacy.test");

        Assert.Equal(HttpStatusCode.OK, (await asErin.GetAsync($"/sandbox/deliveries/{delivery.Id}/html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asFred.GetAsync($"/sandbox/deliveries/{delivery.Id}/html")).StatusCode);
        Assert.Contains("Erin delivery", await asErin.GetStringAsync($"/sandbox/{delivery.Id}"));
        var fredsAnswer = await asFred.GetAsync($"/sandbox/{delivery.Id}");
        Assert.Equal(HttpStatusCode.NotFound, fredsAnswer.StatusCode);
        var fredsView = await fredsAnswer.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Erin delivery", fredsView);
        Assert.Contains("There is nothing at this address.", fredsView);
    }

    [Fact]
    public async Task AnOpenNotifiesOnlyTheSenderOverTheHub()
    {
        var gina = await app.CreateUserAsync("gina@privacy.test", name: "Gina", role: Roles.User);
        var hugo = await app.CreateUserAsync("hugo@privacy.test", name: "Hugo");
        var sent = await TestMail.SendAsync(app, gina, subject: "Gina pricing");
        await using var ginaPushes = await ListenAsync("gina@privacy.test");
        await using var hugoPushes = await ListenAsync("hugo@privacy.test");

        using var mailClient = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        mailClient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)");
        (await mailClient.GetAsync($"/t/o/{sent.OpenToken}.gif")).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(() => Task.FromResult(ginaPushes.Received.Any(p => p.Kind == UserPushKinds.Tracking && p.MessageId == sent.MessageId)), "Gina's push");
        // A misaddressed push (to everyone, say) would leave in the same call as Gina's; by now it would have arrived.
        Assert.Empty(hugoPushes.Received);
        var center = app.Service<NotificationCenter>();
        Assert.Equal(1, await center.UnreadCountAsync(gina.Id));
        Assert.Equal(0, await center.UnreadCountAsync(hugo.Id));
        Assert.Empty(await center.ListAsync(hugo.Id));
        await using var db = await app.DbAsync();
        Assert.All(await db.Notifications.Where(n => n.MessageId == sent.MessageId).ToListAsync(), n => Assert.Equal(gina.Id, n.UserId));

    }

    private async Task<HubClient> ListenAsync(string email)
    {
        var (_, cookies) = await TestMail.SignInAsync(app, email);
        return await HubClient.ConnectAsync(app.BaseUrl, cookies);
    }
}
