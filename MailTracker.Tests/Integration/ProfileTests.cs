using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Tests.Integration;

/// <summary>What the profile's choices change in the rest of the app.</summary>
public sealed class ProfileTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private UserProfiles Profiles => app.Service<UserProfiles>();

    [Fact]
    public async Task WithOpensSwitchedOffTheBellStaysQuietButTheOpenIsRecorded()
    {
        var user = await app.CreateUserAsync("quiet@profile.test", name: "Quiet", role: Roles.User);
        Assert.Equal(BellPreferencesError.None, await app.Service<NotificationRules>().SaveAsync(user.Id, new BellPreferences(FirstOpen: false)));
        var sent = await TestMail.SendAsync(app, user);

        using var mailClient = MailClient();
        (await mailClient.GetAsync($"/t/o/{sent.OpenToken}.gif")).EnsureSuccessStatusCode();
        (await mailClient.GetAsync($"/t/c/{sent.ClickTokens[0]}")).Dispose();

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        Assert.Equal(1, (await db.Messages.SingleAsync(m => m.Id == sent.MessageId)).OpenCount);
        var bell = await app.Service<NotificationCenter>().ListAsync(user.Id);
        Assert.Equal(Core.Tracking.TrackingKind.Click, Assert.Single(bell).Kind);
    }

    [Fact]
    public async Task ARenamedSenderIsTheNameRecipientsSee()
    {
        var user = await app.CreateUserAsync("rename@profile.test", name: "Old Name", role: Roles.User);

        Assert.Equal(ProfileError.None, await Profiles.SaveAsync(user.Id, new ProfileUpdate(" New Name ", "Europe/Warsaw")));
        await TestMail.SendAsync(app, user, subject: "After the rename");

        await using var db = await app.DbAsync();
        var delivery = await db.SandboxDeliveries.SingleAsync(d => d.SenderUserId == user.Id);
        var mime = await MimeMessage.LoadAsync(new MemoryStream(delivery.Raw));
        Assert.Equal("New Name", ((MailboxAddress)mime.From.Single()).Name);
        var profile = (await Profiles.GetAsync(user.Id))!;
        Assert.Equal(("New Name", "Europe/Warsaw"), (profile.Name, profile.TimeZoneId));
    }

    [Fact]
    public async Task AnUnknownTimeZoneOrABlankNameIsRefused()
    {
        var user = await app.CreateUserAsync("refused@profile.test", name: "Kept", role: Roles.User);

        Assert.Equal(ProfileError.UnknownTimeZone, await Profiles.SaveAsync(user.Id, new ProfileUpdate("Kept", "Mars/Olympus_Mons")));
        Assert.Equal(ProfileError.NameRequired, await Profiles.SaveAsync(user.Id, new ProfileUpdate("  ", "UTC")));
        Assert.Equal(ProfileError.NameTooLong, await Profiles.SaveAsync(user.Id, new ProfileUpdate(new string('x', 201), "UTC")));

        Assert.Equal(("Kept", "UTC"), ((await Profiles.GetAsync(user.Id))!.Name, (await Profiles.GetAsync(user.Id))!.TimeZoneId));
    }

    private HttpClient MailClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)");
        return client;
    }
}
