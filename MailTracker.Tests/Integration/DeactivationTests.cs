using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Hubs;

namespace MailTracker.Tests.Integration;

/// <summary>Deactivation and role changes end the person's sessions at their next request, not 30 minutes later.</summary>
public sealed class DeactivationTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private TeamMembers Team => app.Service<TeamMembers>();

    [Fact]
    public async Task ADeactivatedUsersCookieStopsWorkingAtTheNextRequest()
    {
        var admin = await app.CreateUserAsync("ann@deactivate.test", name: "Ann");
        var user = await app.CreateUserAsync("ben@deactivate.test", name: "Ben", role: Roles.User);
        var (client, cookies) = await TestMail.SignInAsync(app, "ben@deactivate.test");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/mail")).StatusCode);

        Assert.Equal(TeamChange.Done, await Team.DeactivateAsync(admin.Id, user.Id));

        var page = await client.GetAsync("/mail");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", page.Headers.Location!.PathAndQuery);
        // The rejected cookie is also removed from the browser.
        Assert.DoesNotContain(cookies.GetCookies(new Uri(app.BaseUrl)), c => c.Name == "MailTracker.Auth" && !c.Expired);
        var hub = await client.PostAsync($"{NotificationHub.Path}/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task ADeactivatedUserCannotSignInAndIsToldWhy()
    {
        var admin = await app.CreateUserAsync("cat@deactivate.test", name: "Cat");
        var user = await app.CreateUserAsync("cal@deactivate.test", name: "Cal", role: Roles.User);
        await Team.DeactivateAsync(admin.Id, user.Id);
        using var client = SignInForm.NewClient(app);

        var response = await SignInForm.PostAsync(client, "cal@deactivate.test", TestUsers.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This account has been deactivated. Ask your workspace admin.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AWrongPasswordDoesNotRevealThatAnAccountIsDeactivated()
    {
        var admin = await app.CreateUserAsync("cyd@deactivate.test", name: "Cyd");
        var user = await app.CreateUserAsync("cid@deactivate.test", name: "Cid", role: Roles.User);
        await Team.DeactivateAsync(admin.Id, user.Id);
        using var client = SignInForm.NewClient(app);

        var body = await (await SignInForm.PostAsync(client, "cid@deactivate.test", "Not-the-passw0rd")).Content.ReadAsStringAsync();

        Assert.Contains("Wrong email or password.", body);
        Assert.DoesNotContain("deactivated", body);
    }

    [Fact]
    public async Task AReactivatedUserSignsInAgainWithTheirPassword()
    {
        var admin = await app.CreateUserAsync("dee@deactivate.test", name: "Dee");
        var user = await app.CreateUserAsync("dom@deactivate.test", name: "Dom", role: Roles.User);
        await Team.DeactivateAsync(admin.Id, user.Id);

        Assert.Equal(TeamChange.Done, await Team.ReactivateAsync(admin.Id, user.Id));

        var (client, _) = await TestMail.SignInAsync(app, "dom@deactivate.test");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/mail")).StatusCode);
    }

    [Fact]
    public async Task ARoleChangeSignsThePersonOutAndTheNewRoleAppliesWhenTheySignInAgain()
    {
        var admin = await app.CreateUserAsync("eve@deactivate.test", name: "Eve");
        var user = await app.CreateUserAsync("eli@deactivate.test", name: "Eli", role: Roles.User);
        var (before, _) = await TestMail.SignInAsync(app, "eli@deactivate.test");

        Assert.Equal(TeamChange.Done, await Team.ChangeRoleAsync(admin.Id, user.Id, Roles.Admin));

        Assert.Equal(HttpStatusCode.Redirect, (await before.GetAsync("/mail")).StatusCode);
        var (after, _) = await TestMail.SignInAsync(app, "eli@deactivate.test");
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/settings/team")).StatusCode);
    }

    [Fact]
    public async Task TheOpenPagesOfADeactivatedUserAreToldAtOnce()
    {
        var admin = await app.CreateUserAsync("fay@deactivate.test", name: "Fay");
        var user = await app.CreateUserAsync("fin@deactivate.test", name: "Fin", role: Roles.User);
        var (_, cookies) = await TestMail.SignInAsync(app, "fin@deactivate.test");
        await using var hub = await HubClient.ConnectAsync(app.BaseUrl, cookies);

        await Team.DeactivateAsync(admin.Id, user.Id);

        await Eventually.TrueAsync(() => Task.FromResult(hub.Received.Any(p => p.Kind == UserPushKinds.AccountChanged)), "the account-changed push");
    }
}
