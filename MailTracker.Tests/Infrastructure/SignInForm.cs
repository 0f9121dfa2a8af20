using System.Net;
using System.Text.RegularExpressions;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// The sign-in form and other antiforgery-protected posts, driven over HTTP with a cookie jar and no automatic
/// redirects — for tests that need the failures too (<see cref="TestMail.SignInAsync"/> asserts success).
/// </summary>
public static partial class SignInForm
{
    public static HttpClient NewClient(MailTrackerApp app, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };

    /// <summary>Posts the sign-in form once; the response is the form again (failure) or a redirect.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>An antiforgery token from a page's forms (the page must render one for this client).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        var match = AntiforgeryField().Match(page);
        Assert.True(match.Success, $"{path} should render a form with an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
