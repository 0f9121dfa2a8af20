using System.Net;
using System.Text.RegularExpressions;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Operations;

/// <summary>
/// Behind a TLS-terminating proxy (the way it is deployed), every cookie the sign-in sets is Secure and HttpOnly, and
/// the sign-in cookie is SameSite=Strict: no script can read it, no plain-HTTP request carries it, no other site sends it.
/// </summary>
public sealed partial class CookieFlagsTests(CookieFlagsTests.BehindTlsProxyApp app) : IClassFixture<CookieFlagsTests.BehindTlsProxyApp>
{
    public sealed class BehindTlsProxyApp : MailTrackerApp
    {
        public BehindTlsProxyApp() => Set("ReverseProxy:KnownProxies:0", "127.0.0.1");
    }

    [Fact]
    public async Task SigningInOverHttpsSetsOnlySecureHttpOnlyCookies()
    {
        await app.CreateUserAsync("cookies@example.com");
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var form = await client.GetAsync("/Account/Login");
        var formCookies = form.Headers.GetValues("Set-Cookie").ToList();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = "cookies@example.com",
                ["Input.Password"] = TestUsers.Password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", formCookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookies = formCookies.Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith("MailTracker.Auth=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var flags = cookie.Split(';').Skip(1).Select(f => f.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("secure", flags);
            Assert.Contains("httponly", flags);
        });
        Assert.Contains("samesite=strict", cookies.Single(c => c.StartsWith("MailTracker.Auth=", StringComparison.Ordinal)).ToLowerInvariant());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
