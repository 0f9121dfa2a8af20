using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Integration;

/// <summary>Who may open Settings › Team, over real HTTP with the real sign-in cookie.</summary>
public sealed class TeamAccessTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task AUserIsForbiddenTheTeamPage()
    {
        await app.CreateUserAsync("boss@access.test", name: "Boss");
        await app.CreateUserAsync("worker@access.test", name: "Worker", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "worker@access.test");

        var response = await client.GetAsync("/settings/team");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
        var denied = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var body = await denied.Content.ReadAsStringAsync();
        Assert.Contains("You do not have access to this page.", body);
        Assert.DoesNotContain("boss@access.test", body);
    }

    [Fact]
    public async Task AnAdminSeesTheTeamWithEveryonesRole()
    {
        await app.CreateUserAsync("chief@access.test", name: "Chief");
        await app.CreateUserAsync("helper@access.test", name: "Helper", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "chief@access.test");

        var response = await client.GetAsync("/settings/team");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("helper@access.test", body);
        Assert.Contains("Add user", body);
    }

    [Fact]
    public async Task TheSettingsPageOffersTeamToAdminsOnly()
    {
        await app.CreateUserAsync("lead@access.test", name: "Lead");
        await app.CreateUserAsync("rep@access.test", name: "Rep", role: Roles.User);
        var (admin, _) = await TestMail.SignInAsync(app, "lead@access.test");
        var (user, _) = await TestMail.SignInAsync(app, "rep@access.test");

        Assert.Contains("href=\"settings/team\"", await admin.GetStringAsync("/settings"));
        var userSettings = await user.GetStringAsync("/settings");
        Assert.DoesNotContain("href=\"settings/team\"", userSettings);
        Assert.Contains("href=\"settings/profile\"", userSettings);
    }

    [Fact]
    public async Task EveryUserHasAProfile()
    {
        await app.CreateUserAsync("pat@access.test", name: "Pat Rep", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "pat@access.test");

        var response = await client.GetAsync("/settings/profile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("pat@access.test", body);
        Assert.Contains("Pat Rep", body);
    }
}
