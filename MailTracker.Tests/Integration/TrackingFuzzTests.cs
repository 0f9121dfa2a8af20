using System.Net;
using System.Text;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// The tracking routes under random, truncated, overlong, unicode and traversal-shaped tokens: never a server error,
/// never a row, the pixel's exact bytes, and never a redirect to a URL that was not stored.
/// </summary>
public sealed class TrackingFuzzTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private const int Requests = 10_000;

    [Fact]
    public async Task TenThousandMalformedTrackingRequestsRecordNothingAndNeverRedirectElsewhere()
    {
        var sender = await app.CreateUserAsync("fuzz@example.com");
        var mail = await TestMail.SendAsync(app, sender);
        await app.ProjectedAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        var pixel = await (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).Content.ReadAsByteArrayAsync();
        await app.ProjectedAsync();
        int before;
        await using (var db = await app.DbAsync())
        {
            before = await db.TrackingEvents.CountAsync();
        }

        var random = new Random(20261203);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < Requests; i++)
        {
            var path = RandomPath(random, mail.OpenToken!, mail.ClickTokens[0]);
            using var request = new HttpRequestMessage(random.Next(4) == 0 ? HttpMethod.Head : HttpMethod.Get, path);
            using var response = await client.SendAsync(request);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;

            Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
            if (response.Headers.Location is { } location)
            {
                Assert.Fail($"{path} redirected to {location}: no fuzzed token is a stored link's");
            }

            if (response.StatusCode == HttpStatusCode.OK && request.Method == HttpMethod.Get && path.StartsWith("/t/o/", StringComparison.Ordinal)
                && response.Content.Headers.ContentType?.MediaType == "image/gif")
            {
                Assert.Equal(pixel, await response.Content.ReadAsByteArrayAsync());
            }
        }

        await app.ProjectedAsync();
        await using var check = await app.DbAsync();
        Assert.Equal(before, await check.TrackingEvents.CountAsync());
        Assert.True(statuses.Values.Sum() == Requests);
    }

    [Theory]
    [InlineData("/t/c//x")]
    [InlineData("/t/c/%2F%2Fevil.example")]
    [InlineData("/t/c/..%2F..%2FAccount%2FLogin")]
    [InlineData("/t/o/%2e%2e/x")]
    [InlineData("/t/")]
    [InlineData("/t/x/y/z")]
    public async Task AnythingUnderTheTrackingPathThatIsNoTrackingRouteIsAPlain404(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private static string RandomPath(Random random, string openToken, string clickToken)
    {
        var token = random.Next(8) switch
        {
            0 => openToken[..random.Next(openToken.Length)],                                      // truncated
            1 => openToken + new string('A', random.Next(1, 400)),                                // overlong
            2 => Mutate(random, clickToken),                                                      // one character changed
            3 => Uri.EscapeDataString(string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => (char)random.Next(0x80, 0x2FFF)))), // unicode
            4 => random.Next(3) switch { 0 => "..%2F..%2Fadmin", 1 => "%2e%2e%2f%2e%2e", _ => "%252F%252Fevil.example" }, // traversal
            5 => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'), // well-formed, unknown
            6 => Uri.EscapeDataString("https://evil.example/" + random.Next()),
            _ => new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(33, 127)).Where(c => c is not ('/' or '?' or '#' or '%' or '\\')).ToArray()),
        };
        return random.Next(2) == 0 ? $"/t/o/{token}.gif" : $"/t/c/{token}";
    }

    private static string Mutate(Random random, string token)
    {
        var chars = new StringBuilder(token);
        var at = random.Next(chars.Length);
        var replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[random.Next(64)];
        chars[at] = replacement == chars[at] ? (replacement == 'A' ? 'B' : 'A') : replacement;
        return chars.ToString();
    }
}
