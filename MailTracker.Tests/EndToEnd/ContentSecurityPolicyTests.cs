using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>
/// The app works in a real browser under its Content-Security-Policy: the circuit connects, the composer sends, a
/// message body shows in its srcdoc frame, the sandbox shows a delivery in its frame — and the browser reports no
/// violation on any of the main pages.
/// </summary>
public sealed class ContentSecurityPolicyTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    private static readonly string[] MainPages =
    [
        "/mail", "/mail/sent", "/mail/outbox", "/contacts", "/deals", "/insights", "/sandbox",
        "/settings/email-integration", "/settings/profile", "/settings/team", "/settings/billing",
    ];

    [Fact]
    public async Task TheMainPagesWorkWithoutAPolicyViolation()
    {
        await app.CreateUserAsync("csp@example.com", name: "Casper");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        var pages = new AppPages(page);
        await pages.SignInAsync("csp@example.com");

        await pages.OpenMailAsync();
        await pages.ComposeAndSendAsync("dana@example.com", "Under the policy", "Hello Dana", linkText: "pricing", linkUrl: "https://example.com/pricing");
        await pages.OpenMailAsync("Sent");
        await pages.MessageRow("Under the policy").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.FrameLocator("iframe.mail-body-frame").GetByText("Hello Dana")).ToBeVisibleAsync();

        var delivered = await pages.OpenInSandboxAsync("Under the policy");
        await Expect(delivered.GetByText("Hello Dana")).ToBeVisibleAsync();

        foreach (var path in MainPages)
        {
            await page.GotoAsync(path);
            await pages.WaitUntilInteractiveAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
        }

        foreach (var missing in new[] { "/no-such-page", "/mail/987654321" })
        {
            await page.GotoAsync(missing);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        }

        await page.GotoAsync("/mail");
        await pages.WaitUntilInteractiveAsync();

        // The bell's own SignalR connection is allowed too: its count is read over it.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Notifications" })).Not.ToHaveAttributeAsync("aria-busy", "true");
        lock (violations)
        {
            Assert.Empty(violations);
        }
    }
}
