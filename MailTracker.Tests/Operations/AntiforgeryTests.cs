using System.Net;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace MailTracker.Tests.Operations;

/// <summary>
/// Every route that takes a POST, read from the app's own endpoints (so a new one is checked the day it is added),
/// refuses a signed-in user's post that lacks the antiforgery token: SameSite=Strict keeps other sites' posts out, but
/// not a sibling subdomain's (it is the same site), and the token does.
/// </summary>
public sealed class AntiforgeryTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task EveryPostWithoutTheAntiforgeryTokenIsRefusedAndSignsNobodyOut()
    {
        await app.CreateUserAsync("forms@example.com");
        var (client, _) = await TestMail.SignInAsync(app, "forms@example.com");
        var posts = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => !p.Contains('{', StringComparison.Ordinal) && !p.StartsWith("/_blazor", StringComparison.Ordinal) && !p.StartsWith("/hubs", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains("/Account/Logout", posts);
        Assert.Contains("/preferences/culture", posts);

        foreach (var path in posts)
        {
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["culture"] = "pl", ["currentPassword"] = TestUsers.Password, ["newPassword"] = "Other-Passw0rd!", ["_handler"] = "login",
            }));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} without a token answered {(int)response.StatusCode}");
            Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("MailTracker.Auth=;", StringComparison.Ordinal)),
                $"POST {path} without a token signed the user out");
        }

        // Still signed in, with the old password.
        var page = await client.GetAsync("/mail");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await TestMail.SignInAsync(app, "forms@example.com");
    }

    [Fact]
    public async Task SignOutFromTheMenusFormWithItsTokenSignsOut()
    {
        await app.CreateUserAsync("signout@example.com");
        var (client, _) = await TestMail.SignInAsync(app, "signout@example.com");
        var token = await SignInForm.AntiforgeryTokenAsync(client, "/mail");

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/Account/Login", response.Headers.Location!.OriginalString);
        var after = await client.GetAsync("/mail");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location!.OriginalString);
    }
}
