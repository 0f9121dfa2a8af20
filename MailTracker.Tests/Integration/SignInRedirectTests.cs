using System.Net;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Integration;

/// <summary>
/// The sign-in page's ReturnUrl is the attacker's to choose (a phishing mail links to the real sign-in page): after
/// signing in, the browser goes only to a page of this app, never to another host, and the page never fails.
/// </summary>
public sealed class SignInRedirectTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("https:evil.example")]
    [InlineData("http:/\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%5Cevil.example")]
    public async Task SigningInNeverLeavesTheAppWhateverTheReturnUrl(string returnUrl)
    {
        var target = await SignInWithReturnUrlAsync(returnUrl);

        Assert.Equal(new Uri(app.BaseUrl).Authority, target.Authority);
        Assert.Equal(Uri.UriSchemeHttp, target.Scheme);
    }

    [Theory]
    [InlineData("/contacts")]
    [InlineData("{base}/contacts")]
    public async Task AReturnUrlOfThisAppIsWhereSigningInLeads(string returnUrl)
    {
        var target = await SignInWithReturnUrlAsync(returnUrl.Replace("{base}", app.Start().BaseUrl, StringComparison.Ordinal));

        Assert.Equal($"{app.BaseUrl}/contacts", target.AbsoluteUri);
    }

    private async Task<Uri> SignInWithReturnUrlAsync(string returnUrl)
    {
        var email = $"return-{Math.Abs(returnUrl.GetHashCode()):x}@example.com";
        await app.CreateUserAsync(email);
        var client = SignInForm.NewClient(app);
        var path = $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var token = await SignInForm.AntiforgeryTokenAsync(client, path);

        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = TestUsers.Password,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(new Uri(app.BaseUrl), response.Headers.Location!);
    }
}
