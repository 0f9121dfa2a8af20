using MailTracker.Core.Accounts;
using MailTracker.Core.Webhooks;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Webhooks;

/// <summary>
/// Webhooks against a real HTTP receiver on loopback: what an integrator's endpoint gets when mail is sent, opened and
/// clicked; retries after 500s; redirects not followed; and nothing queued lost across a restart.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0";
    private readonly MailTrackerApp _app = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _app.Set("Webhooks:RetryDelayMilliseconds", "20").Set("Webhooks:PollSeconds", "1");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static async Task<(int Id, string Secret)> AddEndpointAsync(MailTrackerApp app, string adminId, string url, WebhookEvents events = WebhookEvents.All, bool allHits = false)
    {
        var result = await app.Service<WebhookEndpoints>().AddAsync(adminId, url, events, allHits);
        Assert.True(result.Succeeded, result.Error.ToString());
        return (result.Id!.Value, result.Secret!);
    }

    private HttpClient Recipient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Thunderbird);
        return client;
    }

    [Fact]
    public async Task TheReceiverGetsSignedEventsOfOneMessageInTheOrderTheyHappened()
    {
        var admin = await _app.CreateUserAsync("admin@hooks.test");
        var (_, secret) = await AddEndpointAsync(_app, admin.Id, _receiver.Url());

        var mail = await TestMail.SendAsync(_app, admin);
        using var recipient = Recipient();
        (await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        await _app.ProjectedAsync();
        var click = await recipient.GetAsync($"/t/c/{mail.ClickTokens[0]}");
        Assert.Equal(TestMail.PricingUrl, click.Headers.Location!.OriginalString);

        var got = await _receiver.AcceptedAsync(3);
        Assert.Equal(["message.sent", "message.opened", "link.clicked"], got.Select(g => g.Event));
        Assert.All(got, g => Assert.True(g.SignatureValid(secret), $"signature of {g.Event}"));
        Assert.All(got, g => Assert.Equal(mail.MessageId, g.Json.GetProperty("messageId").GetInt64()));
        Assert.All(got, g => Assert.Equal("bob@example.com", g.Json.GetProperty("recipient").GetString()));
        Assert.All(got, g => Assert.Equal(g.DeliveryId, g.Json.GetProperty("id").GetString()));
        Assert.Equal(3, got.Select(g => g.DeliveryId).Distinct().Count());
        var opened = got[1].Json;
        Assert.Equal("human", opened.GetProperty("verdict").GetString());
        Assert.True(opened.GetProperty("counted").GetBoolean());
        Assert.Equal(TestMail.PricingUrl, got[2].Json.GetProperty("link").GetString());
        Assert.Equal("Pricing", got[0].Json.GetProperty("subject").GetString());
        Assert.False(got[0].Json.TryGetProperty("verdict", out _), "a send has no verdict");
        // The signature covers the body: one changed byte and it no longer verifies.
        Assert.False((got[1] with { Body = got[1].Body.Replace("true", "false") }).SignatureValid(secret));
        Assert.False(got[1].SignatureValid(secret + "x"));

        await using var db = await _app.DbAsync();
        Assert.All(await db.WebhookDeliveries.ToListAsync(), d => Assert.Equal(WebhookDeliveryState.Delivered, d.State));
    }

    [Fact]
    public async Task TheSendersOwnOpenAndAScannersClickReachOnlyAnEndpointAskingForAllHits()
    {
        var admin = await _app.CreateUserAsync("all@hooks.test");
        await using var counted = await WebhookReceiver.StartAsync();
        await AddEndpointAsync(_app, admin.Id, counted.Url(), WebhookEvents.MessageOpened | WebhookEvents.LinkClicked);
        await AddEndpointAsync(_app, admin.Id, _receiver.Url(), WebhookEvents.MessageOpened | WebhookEvents.LinkClicked, allHits: true);

        var mail = await TestMail.SendAsync(_app, admin);
        using var scanner = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        scanner.DefaultRequestHeaders.UserAgent.ParseAdd("python-requests/2.31.0");
        await scanner.GetAsync($"/t/c/{mail.ClickTokens[0]}");
        using var recipient = Recipient();
        (await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();

        var all = await _receiver.AcceptedAsync(2);
        var scan = Assert.Single(all, a => a.Event == "link.clicked").Json;
        Assert.False(scan.GetProperty("counted").GetBoolean());
        Assert.Equal("scanner", scan.GetProperty("verdict").GetString());
        var onlyCounted = await counted.AcceptedAsync(1);
        await _app.ProjectedAsync();
        await using var db = await _app.DbAsync();
        await Eventually.TrueAsync(() => db.WebhookDeliveries.AllAsync(d => d.State == WebhookDeliveryState.Delivered), "every delivery to go");
        Assert.Equal("message.opened", Assert.Single(counted.Received).Event);
        Assert.True(onlyCounted[0].Json.GetProperty("counted").GetBoolean());
    }

    [Fact]
    public async Task AReceiverAnswering500IsRetriedWithTheSameEventAndTheLogCountsTheAttempts()
    {
        _receiver.Answer = n => n < 2 ? 500 : 200;
        var admin = await _app.CreateUserAsync("retry@hooks.test");
        var (endpointId, secret) = await AddEndpointAsync(_app, admin.Id, _receiver.Url(), WebhookEvents.MessageSent);

        var mail = await TestMail.SendAsync(_app, admin);

        var accepted = Assert.Single(await _receiver.AcceptedAsync(1));
        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.DeliveryId).Distinct());
        Assert.All(_receiver.Received, r => Assert.True(r.SignatureValid(secret)));
        Assert.Equal(mail.MessageId, accepted.Json.GetProperty("messageId").GetInt64());
        var log = await Eventually.ReturnsAsync(async () =>
            (await _app.Service<WebhookEndpoints>().DeliveriesAsync(admin.Id, endpointId))!.SingleOrDefault(d => d.State == WebhookDeliveryState.Delivered), "the log to say delivered");
        Assert.Equal(3, log.Attempts);
        Assert.Equal(200, log.LastStatus);
        Assert.Null(log.LastError);
    }

    [Fact]
    public async Task ARedirectIsNotFollowedAndTheLogSaysWhy()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        _receiver.RedirectTo = elsewhere.Url("/stolen");
        var admin = await _app.CreateUserAsync("moved@hooks.test");
        var (endpointId, _) = await AddEndpointAsync(_app, admin.Id, _receiver.Url("/moved"), WebhookEvents.MessageSent);

        await TestMail.SendAsync(_app, admin);

        var failed = await Eventually.ReturnsAsync(async () =>
            (await _app.Service<WebhookEndpoints>().DeliveriesAsync(admin.Id, endpointId))!.SingleOrDefault(d => d.LastError is not null), "a failed attempt in the log");
        Assert.Equal(302, failed.LastStatus);
        Assert.Contains("redirects are not followed", failed.LastError);
        Assert.Equal(WebhookDeliveryState.Pending, failed.State);
        Assert.Empty(elsewhere.Received);
        var endpoint = Assert.Single((await _app.Service<WebhookEndpoints>().ListAsync(admin.Id))!);
        Assert.NotNull(endpoint.FailingSince);
    }

    [Fact]
    public async Task AQueuedDeliveryIsNotLostAcrossARestartAndGoesOutOnce()
    {
        var folder = Directory.CreateTempSubdirectory("mailtracker-hooks-").FullName;
        var database = $"Data Source={Path.Combine(folder, "mailtracker.db")}";
        _receiver.Answer = _ => 503;
        long messageId;
        string secret;
        await using (var first = new MailTrackerApp())
        {
            first.Set("Database:ConnectionString", database).Set("Webhooks:RetryAttempts", "0").Set("Webhooks:BackoffSeconds", "1");
            var admin = await first.CreateUserAsync("restart@hooks.test");
            (_, secret) = await AddEndpointAsync(first, admin.Id, _receiver.Url(), WebhookEvents.MessageSent);
            messageId = (await TestMail.SendAsync(first, admin)).MessageId;
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.Received.Count == 1), "the first, refused attempt");
        }

        _receiver.Answer = _ => 200;
        await using var second = new MailTrackerApp();
        second.Set("Database:ConnectionString", database).Set("Webhooks:PollSeconds", "1");
        second.Start();

        var got = Assert.Single(await _receiver.AcceptedAsync(1));
        Assert.Equal(messageId, got.Json.GetProperty("messageId").GetInt64());
        Assert.True(got.SignatureValid(secret), "the secret survives the restart (encrypted with the database's key ring)");
        Assert.Single(_receiver.Received.Select(r => r.DeliveryId).Distinct());
        await using var after = await second.DbAsync();
        var delivery = await Eventually.ReturnsAsync(() => after.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.State == WebhookDeliveryState.Delivered), "the log to say delivered");
        Assert.Equal(_receiver.Received.Count, delivery.Attempts);
    }

    [Fact]
    public async Task OnlyAnActiveAdminSeesOrChangesEndpoints()
    {
        var admin = await _app.CreateUserAsync("boss@hooks.test");
        var user = await _app.CreateUserAsync("rep@hooks.test", role: Roles.User);
        var (id, _) = await AddEndpointAsync(_app, admin.Id, _receiver.Url());
        var endpoints = _app.Service<WebhookEndpoints>();

        Assert.Null(await endpoints.ListAsync(user.Id));
        Assert.Null(await endpoints.DeliveriesAsync(user.Id, id));
        Assert.Equal(WebhookError.NotFound, (await endpoints.AddAsync(user.Id, "http://127.0.0.1:9/x", WebhookEvents.All, false)).Error);
        Assert.Equal(WebhookError.NotFound, (await endpoints.UpdateAsync(user.Id, id, "http://127.0.0.1:9/x", WebhookEvents.All, false, true)).Error);
        Assert.Equal(WebhookError.NotFound, (await endpoints.RotateSecretAsync(user.Id, id)).Error);
        Assert.False(await endpoints.DeleteAsync(user.Id, id));
        var unchanged = Assert.Single((await endpoints.ListAsync(admin.Id))!);
        Assert.Equal(_receiver.Url(), unchanged.Url);

        var (client, _) = await TestMail.SignInAsync(_app, "rep@hooks.test");
        var page = await client.GetAsync("/settings/integrations");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("settings/integrations", await client.GetStringAsync("/settings"));
        // They are told their mail's events leave the workspace.
        Assert.Contains("webhook integration", await client.GetStringAsync("/settings"));
    }

    [Theory]
    [InlineData("", WebhookError.UrlRequired)]
    [InlineData("crm.example.com/hooks", WebhookError.UrlInvalid)]
    [InlineData("ftp://crm.example.com/hooks", WebhookError.UrlInvalid)]
    [InlineData("javascript:alert(1)", WebhookError.UrlInvalid)]
    [InlineData("file:///etc/passwd", WebhookError.UrlInvalid)]
    [InlineData("https://user:pass@crm.example.com/hooks", WebhookError.UrlHasCredentials)]
    public async Task ABadUrlIsRefusedWithAReasonAndNothingIsSaved(string url, WebhookError expected)
    {
        var admin = await _app.CreateUserAsync($"bad{Math.Abs(url.GetHashCode()):x}@hooks.test");

        var result = await _app.Service<WebhookEndpoints>().AddAsync(admin.Id, url, WebhookEvents.All, false);

        Assert.Equal(expected, result.Error);
        Assert.Null(result.Secret);
        Assert.Empty((await _app.Service<WebhookEndpoints>().ListAsync(admin.Id))!);
    }
}
