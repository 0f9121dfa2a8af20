using System.Net;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

public sealed class TrackingEndpointTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private readonly HttpClient _anonymous = MailClient(app.Start().BaseUrl);

    /// <summary>An anonymous client that looks like a recipient's mail client (bots and blank user agents do not count).</summary>
    private static HttpClient MailClient(string baseUrl)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)");
        return client;
    }

    private async Task<SentMail> SendAsync(string email)
    {
        var user = await app.CreateUserAsync(email);
        return await TestMail.SendAsync(app, user);
    }

    private async Task<int> EventCountAsync(long messageId)
    {
        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        return await db.TrackingEvents.CountAsync(e => e.MessageId == messageId);
    }

    private static async Task AssertIsThePixel(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(43, bytes.Length);
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
    }

    [Fact]
    public async Task PixelHitOnKnownTokenRecordsOneOpenAndUpdatesTheSummary()
    {
        var mail = await SendAsync("pixel@example.com");

        var response = await _anonymous.GetAsync($"/t/o/{mail.OpenToken}.gif");

        await AssertIsThePixel(response);
        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        var recorded = await db.TrackingEvents.SingleAsync(e => e.MessageId == mail.MessageId);
        Assert.Equal(1, message.OpenCount);
        Assert.NotNull(message.FirstOpenedAt);
        Assert.Equal(message.FirstOpenedAt, message.LastOpenedAt);
        Assert.Equal(TrackingKind.Open, recorded.Kind);
        Assert.True(recorded.Counted);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]   // well-formed, unknown
    [InlineData("not-a-token")]              // malformed
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")]   // tampered low bits
    public async Task PixelHitOnUnknownTokenStillReturnsGifAndRecordsNothing(string token)
    {
        var mail = await SendAsync($"unknown-{token.GetHashCode():x}@example.com");

        await AssertIsThePixel(await _anonymous.GetAsync($"/t/o/{token}.gif"));

        Assert.Equal(0, await EventCountAsync(mail.MessageId));
    }

    [Fact]
    public async Task PixelHitOnATamperedButWellFormedTokenRecordsNothing()
    {
        var mail = await SendAsync("tampered@example.com");
        var tampered = (mail.OpenToken![0] == 'A' ? 'B' : 'A') + mail.OpenToken[1..];

        await AssertIsThePixel(await _anonymous.GetAsync($"/t/o/{tampered}.gif"));

        Assert.Equal(0, await EventCountAsync(mail.MessageId));
    }

    [Fact]
    public async Task ClickRedirectsToTheStoredUrlAndRecordsTheClick()
    {
        var mail = await SendAsync("click@example.com");

        var response = await _anonymous.GetAsync($"/t/c/{mail.ClickTokens[0]}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(TestMail.PricingUrl, response.Headers.Location!.OriginalString);
        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        var link = await db.TrackedLinks.SingleAsync(l => l.MessageId == mail.MessageId && !l.Hidden);
        Assert.Equal(1, message.ClickCount);
        Assert.Equal(1, link.ClickCount);
        Assert.NotNull(link.FirstClickedAt);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("https%3A%2F%2Fevil.example")]
    [InlineData("x")]
    public async Task ClickOnUnknownTokenIsAPlain404AndNeverARedirect(string token)
    {
        var response = await _anonymous.GetAsync($"/t/c/{token}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Link not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnOpenTokenUsedAsAClickTokenDoesNotRedirect()
    {
        var mail = await SendAsync("crossed@example.com");

        var response = await _anonymous.GetAsync($"/t/c/{mail.OpenToken}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HeadRequestsAreAnsweredAndKeptAsEvidenceButNeverCounted()
    {
        var mail = await SendAsync("head@example.com");

        var click = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/t/c/{mail.ClickTokens[0]}"));
        var pixel = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/t/o/{mail.OpenToken}.gif"));

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal(TestMail.PricingUrl, click.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        Assert.Equal(2, await EventCountAsync(mail.MessageId));
        await using var db = await app.DbAsync();
        Assert.False(await db.TrackingEvents.AnyAsync(e => e.MessageId == mail.MessageId && e.Counted));
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        Assert.Equal((0, 0), (message.OpenCount, message.ClickCount));
    }

    [Fact]
    public async Task RepeatedHitsAddUpInTheSummary()
    {
        var mail = await SendAsync("repeat@example.com");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _anonymous.GetAsync($"/t/o/{mail.OpenToken}.gif")));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _anonymous.GetAsync($"/t/c/{mail.ClickTokens[0]}")));

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        Assert.Equal(20, message.OpenCount);
        Assert.Equal(5, message.ClickCount);
        Assert.Equal(25, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId));
        Assert.True(message.LastOpenedAt >= message.FirstOpenedAt);
    }

    [Fact]
    public async Task TheSendersOwnOpenIsRecordedButNotCounted()
    {
        var sender = await app.CreateUserAsync("self@example.com");
        var mail = await TestMail.SendAsync(app, sender);
        var (client, _) = await TestMail.SignInAsync(app, "self@example.com");

        await AssertIsThePixel(await client.GetAsync($"/t/o/{mail.OpenToken}.gif"));

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var recorded = await db.TrackingEvents.SingleAsync(e => e.MessageId == mail.MessageId);
        Assert.Equal(Verdict.Sender, recorded.Verdict);
        Assert.False(recorded.Counted);
        Assert.Equal(0, (await db.Messages.SingleAsync(m => m.Id == mail.MessageId)).OpenCount);
    }

    [Fact]
    public async Task TheSentMailCarriesThePixelAndRewrittenLinksButTheStoredCopyDoesNot()
    {
        var mail = await SendAsync("copies@example.com");

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        var delivery = await db.SandboxDeliveries.SingleAsync(d => d.Subject == "Pricing" && d.EnvelopeFrom == "copies@example.com");
        var delivered = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw));

        Assert.Contains($"{app.BaseUrl}/t/o/{mail.OpenToken}.gif", delivered.HtmlBody);
        Assert.Contains($"/t/c/{mail.ClickTokens[0]}", delivered.HtmlBody);
        Assert.DoesNotContain(TestMail.PricingUrl, delivered.HtmlBody);
        Assert.Contains($"pricing ({TestMail.PricingUrl})", delivered.TextBody);
        Assert.DoesNotContain("/t/o/", message.HtmlBody);
        Assert.Contains(TestMail.PricingUrl, message.HtmlBody);
    }

    [Fact]
    public async Task AHitForAMessageDeletedMeanwhileCostsOnlyItselfAndTheGifStillComes()
    {
        var sender = await app.CreateUserAsync("deleted@example.com");
        var gone = await TestMail.SendAsync(app, sender, subject: "Soon deleted");
        var kept = await TestMail.SendAsync(app, sender, subject: "Kept");
        await AssertIsThePixel(await _anonymous.GetAsync($"/t/o/{gone.OpenToken}.gif"));   // its token is now cached
        await using (var db = await app.DbAsync())
        {
            // Deleting the message (and, by cascade, its body, tokens and links) the way a user's removal would.
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"Messages\" WHERE \"Id\" = {gone.MessageId}");
        }

        var answers = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => _anonymous.GetAsync($"/t/o/{(i % 2 == 0 ? gone : kept).OpenToken}.gif")));

        foreach (var answer in answers)
        {
            await AssertIsThePixel(answer);
        }

        await app.ProjectedAsync();
        await using var check = await app.DbAsync();
        Assert.Equal(5, (await check.Messages.SingleAsync(m => m.Id == kept.MessageId)).OpenCount);
        Assert.Equal(0, await check.TrackingEvents.CountAsync(e => e.MessageId == gone.MessageId));
    }
}
