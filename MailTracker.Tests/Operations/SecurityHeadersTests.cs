using System.Net;
using System.Text.RegularExpressions;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Operations;

/// <summary>
/// App pages carry a Content-Security-Policy (scripts from the app and the one nonce'd import map, no framing),
/// nosniff and a referrer policy; tracking answers are never stored and never set a cookie.
/// </summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly MailTrackerApp _app = new();

    public SecurityHeadersTests() => _app.UseClock(_clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AppPagesCarryAPolicyWhoseNonceMatchesTheirOnlyInlineScript()
    {
        await _app.CreateUserAsync("headers@example.com", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(_app, "headers@example.com");

        foreach (var path in new[] { "/Account/Login", "/mail", "/no-such-page" })
        {
            var response = await client.GetAsync(path);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Contains("object-src 'none'", policy);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));

            var nonce = ScriptNonce().Match(policy).Groups[1].Value;
            Assert.NotEmpty(nonce);
            var page = await response.Content.ReadAsStringAsync();
            var inlineScripts = InlineScript().Matches(page);
            Assert.All(inlineScripts, script => Assert.Contains($"nonce=\"{nonce}\"", script.Value));
        }

        var again = await client.GetAsync("/mail");
        Assert.NotEqual(
            ScriptNonce().Match(Assert.Single((await client.GetAsync("/mail")).Headers.GetValues("Content-Security-Policy"))).Groups[1].Value,
            ScriptNonce().Match(Assert.Single(again.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value);
    }

    [Fact]
    public async Task TrackingAnswersAreNotStoredAndDoNotRenewTheSendersCookie()
    {
        await _app.CreateUserAsync("sender-cookie@example.com", role: Roles.User);
        var (client, _) = await TestMail.SignInAsync(_app, "sender-cookie@example.com");

        // Past half of the sign-in cookie's lifetime, any request that carries it would renew it (sliding expiration)…
        _clock.Advance(TimeSpan.FromDays(8));
        var pixel = await client.GetAsync("/t/o/AAAAAAAAAAAAAAAAAAAAAA.gif");
        var click = await client.GetAsync("/t/c/AAAAAAAAAAAAAAAAAAAAAA");
        var page = await client.GetAsync("/mail");

        // …but a tracking answer never sets a cookie and is never stored; an app page does renew it.
        foreach (var tracking in new[] { pixel, click })
        {
            Assert.False(tracking.Headers.Contains("Set-Cookie"), $"{tracking.RequestMessage!.RequestUri} set a cookie");
            Assert.Contains("no-store", tracking.Headers.CacheControl!.ToString());
            Assert.Equal("nosniff", Assert.Single(tracking.Headers.GetValues("X-Content-Type-Options")));
        }

        Assert.Equal("image/gif", pixel.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("MailTracker.Auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSandboxFrameKeepsItsOwnSandboxingPolicy()
    {
        var user = await _app.CreateUserAsync("frame@example.com", role: Roles.User);
        await TestMail.SendAsync(_app, user, subject: "Framed");
        var delivery = Assert.Single(await _app.Service<Core.Sandbox.SandboxMailbox>().ListAsync(user.Id));
        var (client, _) = await TestMail.SignInAsync(_app, "frame@example.com");

        var frame = await client.GetAsync($"/sandbox/deliveries/{delivery.Id}/html");

        var policy = Assert.Single(frame.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("sandbox", policy);
        Assert.DoesNotContain("frame-ancestors", policy);
    }

    [GeneratedRegex("script-src 'self' 'nonce-([^']+)'")]
    private static partial Regex ScriptNonce();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
