using System.Net;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Integration;

/// <summary>
/// What a click answers for links as senders really write them (a Polish path, an internationalised host, a line break
/// inside the href): a redirect to where a browser would have gone from the sender's own copy, in a Location header
/// that is plain ASCII, so no stored character can break the answer or add a header of its own.
/// </summary>
public sealed class TrackingRedirectTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Theory]
    [InlineData("https://pl.wikipedia.org/wiki/Łódź", "https://pl.wikipedia.org/wiki/%C5%81%C3%B3d%C5%BA")]
    [InlineData("https://münchen.de/stadt?q=żółw#góra", "https://xn--mnchen-3ya.de/stadt?q=%C5%BC%C3%B3%C5%82w#g%C3%B3ra")]
    [InlineData("http://127.0.0.1:9/a&#13;&#10;Set-Cookie: stolen=1", "http://127.0.0.1:9/aSet-Cookie:%20stolen=1")]
    [InlineData("https:/\\127.0.0.1:9/back\\slash", "https://127.0.0.1:9/back/slash")]
    [InlineData("http://127.0.0.1:9/quote&quot;&lt;script&gt;", "http://127.0.0.1:9/quote%22%3Cscript%3E")]
    public async Task AClickRedirectsInPlainAsciiToWhereTheSendersLinkLeads(string href, string expected)
    {
        var sender = await app.CreateUserAsync($"redirect-{Math.Abs(href.GetHashCode()):x}@example.com");
        var mail = await TestMail.SendAsync(app, sender, html: $"<p>See <a href=\"{href}\">this</a>.</p>");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };

        using var response = await client.GetAsync($"/t/c/{Assert.Single(mail.ClickTokens)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("Location")));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example/login")]
    [InlineData("\\\\evil.example\\login")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    public void AStoredUrlThatIsNotAbsoluteHttpIsNeverARedirect(string stored)
    {
        // The composer and the injector track only absolute http(s) links; this is the last line should a row say otherwise.
        Assert.Null(MailTracker.Web.Endpoints.TrackingEndpoints.RedirectLocation(stored));
    }
}
