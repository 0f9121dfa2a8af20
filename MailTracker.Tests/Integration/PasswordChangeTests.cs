using System.Net;
using System.Net.Http.Json;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Endpoints;

namespace MailTracker.Tests.Integration;

/// <summary>The profile's password change: Identity's rules, the cookie renewed for this session, every other one ended.</summary>
public sealed class PasswordChangeTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task ChangingThePasswordKeepsThisSessionAndEndsTheOthers()
    {
        await app.CreateUserAsync("pam@password.test", name: "Pam", role: Roles.User);
        var (here, _) = await TestMail.SignInAsync(app, "pam@password.test");
        var (elsewhere, _) = await TestMail.SignInAsync(app, "pam@password.test");

        var response = await PostAsync(here, TestUsers.Password, "N3w-passw0rd");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("MailTracker.Auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/mail")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/mail")).StatusCode);
        await TestMail.SignInAsync(app, "pam@password.test", "N3w-passw0rd");
        using var oldPassword = SignInForm.NewClient(app);
        Assert.Equal(HttpStatusCode.OK, (await SignInForm.PostAsync(oldPassword, "pam@password.test", TestUsers.Password)).StatusCode);
    }

    [Fact]
    public async Task AWrongCurrentPasswordIsRefusedWithItsReason()
    {
        await app.CreateUserAsync("quin@password.test", name: "Quin", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "quin@password.test");

        var response = await PostAsync(client, "not-my-password", "N3w-passw0rd");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["PasswordMismatch"], (await response.Content.ReadFromJsonAsync<PasswordChangeErrors>())!.Errors);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/mail")).StatusCode);
    }

    [Fact]
    public async Task AWeakNewPasswordIsRefusedWithIdentitysRules()
    {
        await app.CreateUserAsync("ray@password.test", name: "Ray", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "ray@password.test");

        var response = await PostAsync(client, TestUsers.Password, "short");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<PasswordChangeErrors>())!.Errors;
        Assert.Contains("PasswordTooShort", errors);
        Assert.All(errors, e => Assert.StartsWith("Password", e));
        await TestMail.SignInAsync(app, "ray@password.test");
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenChangesNothing()
    {
        await app.CreateUserAsync("sue@password.test", name: "Sue", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(app, "sue@password.test");

        var response = await client.PostAsync(AccountEndpoints.PasswordPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["currentPassword"] = TestUsers.Password,
            ["newPassword"] = "N3w-passw0rd",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await TestMail.SignInAsync(app, "sue@password.test");
    }

    [Fact]
    public async Task SignedOutThereIsNothingToChange()
    {
        using var client = SignInForm.NewClient(app);

        var response = await client.PostAsync(AccountEndpoints.PasswordPath, new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>What the profile page's script posts, with the token its page rendered.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string current, string next)
    {
        var token = await SignInForm.AntiforgeryTokenAsync(client, "/settings/profile");
        return await client.PostAsync(AccountEndpoints.PasswordPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["currentPassword"] = current,
            ["newPassword"] = next,
        }));
    }
}
