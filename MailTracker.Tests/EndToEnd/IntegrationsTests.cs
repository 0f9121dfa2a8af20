using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Settings › Integrations in a real Chromium, by the names in UI-CONTRACT.md, with a real receiver on loopback.</summary>
public sealed class IntegrationsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly MailTrackerApp _app = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _app.Set("Webhooks:RetryDelayMilliseconds", "50");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AnAdminAddsAnEndpointWhoseReceiverGetsSignedRetriedDeliveriesShownInTheLog()
    {
        // The receiver is down for its first request: the send event is retried.
        _receiver.Answer = n => n == 0 ? 500 : 200;
        await _app.CreateUserAsync("ada@example.com", name: "Ada");
        await using var context = await browser.NewContextAsync(_app);
        var mail = new AppPages(await context.NewPageAsync());
        await mail.SignInAsync("ada@example.com");
        var page = mail.Page;

        await page.GotoAsync("/settings");
        await mail.WaitUntilInteractiveAsync();
        await page.GetByText("Integrations", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations", Exact = true })).ToBeVisibleAsync();
        await mail.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "URL" }).FillAsync("not a url");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Enter a full http:// or https:// URL")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "URL" }).FillAsync(_receiver.Url());
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var secretField = page.GetByRole(AriaRole.Textbox, new() { Name = "Signing secret" });
        await Expect(secretField).ToHaveAttributeAsync("readonly", "");
        var secret = await secretField.InputValueAsync();
        Assert.StartsWith("whsec_", secret);
        await mail.ScreenshotAsync("integrations-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(secretField).ToHaveCountAsync(0);

        await mail.OpenMailAsync();
        await mail.ComposeAndSendAsync("Bob <bob@example.com>", "Hooked proposal", "Hello Bob, the proposal.");
        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Hooked proposal");
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        var got = await _receiver.AcceptedAsync(2, "message.sent and message.opened");
        Assert.Equal(["message.sent", "message.opened"], got.Select(g => g.Event));
        Assert.All(got, g => Assert.True(g.SignatureValid(secret), $"{g.Event} is signed with the secret the page showed"));
        Assert.Equal(_receiver.Received[0].DeliveryId, got[0].DeliveryId);

        // The log, live on the page: the send took two attempts; Redeliver sends the same event again.
        await page.GotoAsync("/settings/integrations");
        await mail.WaitUntilInteractiveAsync();
        var log = page.GetByRole(AriaRole.Region, new() { Name = _receiver.Url() });
        var sentRow = log.GetByRole(AriaRole.Row).Filter(new() { HasText = "message.sent" });
        await Expect(sentRow).ToContainTextAsync("Delivered (200)");
        await Expect(sentRow.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("2");
        await mail.ScreenshotAsync("integrations-log");
        await sentRow.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        var again = await _receiver.AcceptedAsync(3, "the redelivery");
        Assert.Equal(got[0].DeliveryId, again[2].DeliveryId);
        Assert.True(again[2].SignatureValid(secret));
        await Expect(log.GetByRole(AriaRole.Row).Filter(new() { HasText = "message.sent" })).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task ThePageIsInPolishForAPolishSpeakingAdmin()
    {
        await _app.CreateUserAsync("ola@example.com", name: "Ola");
        await using var context = await browser.NewContextAsync(_app);
        var mail = new AppPages(await context.NewPageAsync());
        await mail.SignInAsync("ola@example.com");
        await mail.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await mail.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Polski" }).ClickAsync();
        await Expect(mail.Page.Locator("html")).ToHaveAttributeAsync("lang", "pl");
        await mail.Page.GotoAsync("/settings/integrations");
        await mail.WaitUntilInteractiveAsync();

        await Expect(mail.Page.GetByRole(AriaRole.Heading, new() { Name = "Integracje" })).ToBeVisibleAsync();
        await Expect(mail.Page.GetByRole(AriaRole.Button, new() { Name = "Dodaj punkt końcowy" })).ToBeVisibleAsync();
    }
}
