using System.Net;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Tracking;

/// <summary>
/// The tracking pipeline end to end through real HTTP: intake, projection with verdicts, summaries. The app trusts
/// loopback as its reverse proxy here, so each test can play clients from any network with X-Forwarded-For.
/// </summary>
public sealed class TrackingPipelineTests(TrackingPipelineTests.ProxiedApp app) : IClassFixture<TrackingPipelineTests.ProxiedApp>
{
    private const string Thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0";
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>An app behind a reverse proxy on loopback (ReverseProxy:KnownProxies), recording at most 5 hits a minute per client.</summary>
    public sealed class ProxiedApp : MailTrackerApp
    {
        public ProxiedApp()
        {
            Set("ReverseProxy:KnownProxies:0", "127.0.0.1");
            Set("Tracking:RecordLimitPerMinutePerIp", "5");
        }
    }

    private HttpClient Client(string clientIp, string userAgent)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    private async Task<SentMail> SendAsync(string email, string? html = null)
    {
        var sender = await app.CreateUserAsync(email);
        return html is null ? await TestMail.SendAsync(app, sender) : await TestMail.SendAsync(app, sender, html: html);
    }

    private async Task<(Core.Messages.Message Message, List<TrackingEvent> Events)> ProjectedAsync(long messageId)
    {
        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        return (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId),
            await db.TrackingEvents.AsNoTracking().Where(e => e.MessageId == messageId).OrderBy(e => e.Id).ToListAsync());
    }

    [Fact]
    public async Task OpensAndClicksOfOneMessageProjectedTogetherCountOneEach()
    {
        var mail = await SendAsync("batch@pipeline.test");
        var hits = Enumerable.Range(0, 8).SelectMany(i => new[]
        {
            Client($"198.51.100.{10 + i}", Thunderbird).GetAsync($"/t/o/{mail.OpenToken}.gif"),
            Client($"198.51.100.{10 + i}", Thunderbird).GetAsync($"/t/c/{mail.ClickTokens[0]}"),
        });

        await Task.WhenAll(hits);

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal(16, events.Count);
        Assert.Equal((8, 8), (message.OpenCount, message.ClickCount));
    }

    [Fact]
    public async Task ProjectedHitsLeaveTheIntakeAndTheCursorStandsAtTheLastOne()
    {
        var mail = await SendAsync("trim@pipeline.test");
        foreach (var i in Enumerable.Range(0, 3))
        {
            (await Client($"81.2.69.{40 + i}", Thunderbird).GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        }

        await app.ProjectedAsync();

        var intake = (Core.Tracking.Intake.SqliteTrackingIntake)app.Service<Core.Tracking.Intake.ITrackingIntake>();
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(intake.ConnectionString);
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"TrackingIntake\"";
            return (long)(await count.ExecuteScalarAsync())! == 0;
        }, "the projected intake to be trimmed");
        await using var db = await app.DbAsync();
        var cursor = await db.ProjectionCursors.SingleAsync(c => c.Name == "tracking");
        Assert.True(cursor.Position >= 3);
        Assert.EndsWith(".intake.db", new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(intake.ConnectionString).DataSource);
    }

    [Fact]
    public async Task TheRealClientAddressFromTheTrustedProxyIsStored()
    {
        var mail = await SendAsync("forwarded@pipeline.test");

        (await Client("203.0.113.77", Thunderbird).GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();

        var (_, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal("203.0.113.0", Assert.Single(events).IpAddress); // Tracking:IpAnonymization=Truncate
    }

    [Fact]
    public async Task ThePerAddressLimitCountsEachRealClientNotTheProxy()
    {
        var mail = await SendAsync("limit@pipeline.test");

        foreach (var _ in Enumerable.Range(0, 8))
        {
            (await Client("198.51.100.200", Thunderbird).GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        }

        (await Client("192.0.2.201", Thunderbird).GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();

        var (_, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal(5, events.Count(e => e.IpAddress == "198.51.100.0"));
        Assert.Single(events, e => e.IpAddress == "192.0.2.0");
    }

    [Fact]
    public async Task GmailsImageProxyFromGooglesNetworkIsARead()
    {
        var mail = await SendAsync("gmail@pipeline.test");

        await Client("66.249.84.17", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)")
            .GetAsync($"/t/o/{mail.OpenToken}.gif");

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal((Verdict.ImageProxy, true), (Assert.Single(events).Verdict, events[0].Counted));
        Assert.Equal(1, message.OpenCount);
    }

    [Fact]
    public async Task ApplePrivacyProtectionFetchesAreShownApartAndNotCountedAsReads()
    {
        var mail = await SendAsync("mpp@pipeline.test");

        await Client("104.28.28.10", "Mozilla/5.0").GetAsync($"/t/o/{mail.OpenToken}.gif");
        await Client("2a02:26f7:b00a:4000::17", "Mozilla/5.0").GetAsync($"/t/o/{mail.OpenToken}.gif");

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.All(events, e => Assert.Equal((Verdict.PrivacyProxy, false), (e.Verdict, e.Counted)));
        Assert.Equal((0, 2), (message.OpenCount, message.PrivacyOpenCount));
        var listed = (await app.Service<Core.Messages.MailboxQueries>().GetAsync(message.OwnerId, message.Id))!.Summary;
        Assert.Equal((0, 2), (listed.OpenCount, listed.PrivacyOpenCount));
    }

    [Fact]
    public async Task WhateverFollowsTheHiddenLinkIsAMachineAndItsOtherClicksAreNotCounted()
    {
        var mail = await SendAsync("honeypot@pipeline.test");
        Assert.NotNull(mail.HoneypotToken);
        var gateway = Client("192.0.2.50", Chrome);

        await gateway.GetAsync($"/t/c/{mail.HoneypotToken}");
        await gateway.GetAsync($"/t/c/{mail.ClickTokens[0]}");

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal((Verdict.Scanner, false), (e.Verdict, e.Counted)));
        Assert.Equal((0, 0), (message.OpenCount, message.ClickCount));
    }

    [Fact]
    public async Task AClickWithImagesBlockedMarksTheMessageOpenedByInference()
    {
        var mail = await SendAsync("inferred@pipeline.test");

        await Client("81.2.69.160", Chrome).GetAsync($"/t/c/{mail.ClickTokens[0]}");

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal((Verdict.Human, true), (Assert.Single(events).Verdict, events[0].Counted));
        Assert.Equal((1, 1, true), (message.ClickCount, message.OpenCount, message.OpenInferred));
    }

    [Fact]
    public async Task TheSendersOwnViewFromWhereTheyAreSignedInIsNeverCounted()
    {
        var sender = await app.CreateUserAsync("self@pipeline.test");
        var mail = await TestMail.SendAsync(app, sender);
        var (browser, _) = await TestMail.SignInAsync(app, "self@pipeline.test");
        browser.DefaultRequestHeaders.UserAgent.ParseAdd(Chrome);
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.140");
        (await browser.GetAsync("/mail")).EnsureSuccessStatusCode(); // the app remembers this session

        // The sender's mail client loads the pixel without the sign-in cookie, from the same machine.
        await Client("203.0.113.140", Chrome).GetAsync($"/t/o/{mail.OpenToken}.gif");

        var (message, events) = await ProjectedAsync(mail.MessageId);
        Assert.Equal((Verdict.Sender, false), (Assert.Single(events).Verdict, events[0].Counted));
        Assert.Equal(0, message.OpenCount);
    }
}

/// <summary>Forwarded headers from a peer that is not a configured proxy change nothing.</summary>
public sealed class UntrustedForwardedHeadersTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task ASpoofedForwardedForIsIgnoredForTheStoredAddressAndTheLimit()
    {
        var sender = await app.CreateUserAsync("spoof@pipeline.test");
        var mail = await TestMail.SendAsync(app, sender);
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        (await client.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();

        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        Assert.Equal("127.0.0.0", (await db.TrackingEvents.SingleAsync(e => e.MessageId == mail.MessageId)).IpAddress);
    }
}
