using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>Received mail is shown sanitised in a sandboxed frame: nothing in it runs, and nothing remote loads until asked.</summary>
public sealed class InboundMailSecurityTests(MailTrackerApp app, DovecotServer dovecot, BrowserFixture browser)
    : IClassFixture<MailTrackerApp>, IClassFixture<DovecotServer>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task HostileMailRunsNothingAndItsRemoteImageLoadsOnlyAfterShowImages()
    {
        const string email = "victim@example.com";
        await using var remote = new ImageServer();
        var html = $"""
            <p>Quarterly offer</p>
            <script>console.log('pwned: script'); alert('script'); window.parent.pwned = true;</script>
            <img src="x" alt="broken" onerror="console.log('pwned: onerror'); alert('onerror')">
            <a href="javascript:console.log('pwned: link');alert('link')">Open the offer</a>
            <svg onload="alert('svg')"><circle r="1"></circle></svg>
            <iframe src="javascript:alert('iframe')"></iframe>
            <form action="{remote.Url("form")}"><button>Go</button></form>
            <img src="{remote.Url("remote.png")}" alt="remote picture" width="1" height="1">
            """;
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email,
            () => dovecot.AppendAsync(email, TestMessages.Create("Quarterly offer", from: "Mallory <mallory@example.net>", to: email, html: html)));
        await mailbox.WaitForMessageAsync(app, "Quarterly offer");

        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        var console = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (dialogs)
            {
                dialogs.Add(dialog.Message);
            }

            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            lock (console)
            {
                console.Add(message.Text);
            }
        };
        var pages = new AppPages(page);
        await pages.SignInAsync(email);
        await pages.OpenMailAsync();
        await pages.MessageRow("Quarterly offer").GetByRole(AriaRole.Link).ClickAsync();

        var body = page.FrameLocator("iframe.mail-body-frame");
        await Expect(body.GetByText("Quarterly offer")).ToBeVisibleAsync();
        var document = await page.Locator("iframe.mail-body-frame").GetAttributeAsync("srcdoc") ?? "";
        foreach (var hostile in new[] { "<script", "onerror", "onload", "javascript:", "<iframe", "<form" })
        {
            Assert.DoesNotContain(hostile, document, StringComparison.OrdinalIgnoreCase);
        }

        // The link lost its javascript: target; clicking it does nothing.
        await body.GetByText("Open the offer").ClickAsync();

        // The remote image was looked at and refused by the frame's policy: not a single request reached the server.
        var picture = body.GetByAltText("remote picture");
        await Expect(picture).ToHaveJSPropertyAsync("complete", true);
        Assert.Equal(0, await picture.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal(0, remote.RequestsFor("remote.png"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Show images" }).ClickAsync();
        await Expect(body.GetByAltText("remote picture")).ToHaveJSPropertyAsync("naturalWidth", 1);
        Assert.Equal(1, remote.RequestsFor("remote.png"));

        Assert.Empty(dialogs);
        Assert.DoesNotContain(console, m => m.Contains("pwned", StringComparison.Ordinal) || m.Contains("Blocked script execution", StringComparison.Ordinal));
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.pwned ?? null"));
        Assert.Equal(0, remote.RequestsFor("form"));
    }
}
