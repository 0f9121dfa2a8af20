using MailTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class DesktopNotificationTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    /// <summary>Headless Chromium shows no system notifications; this keeps the real API and records what it was asked to show.</summary>
    private const string RecordNotifications = """
        (() => {
            const Real = window.Notification;
            window.__notifications = [];
            class Recorded extends Real {
                constructor(title, options) {
                    super(title, options);
                    window.__notifications.push({ title, body: options && options.body, tag: options && options.tag });
                }
            }
            window.Notification = Recorded;
        })();
        """;

    [Fact]
    public async Task ACountedOpenShowsADesktopNotificationOnceSwitchedOn()
    {
        var user = await app.CreateUserAsync("desk@example.com", name: "Dora");
        await using var context = await browser.NewContextAsync(app, permissions: ["notifications"]);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.Page.Context.AddInitScriptAsync(RecordNotifications);
        await pages.SignInAsync("desk@example.com");

        await pages.Page.GotoAsync("/settings/profile");
        await pages.WaitUntilInteractiveAsync();
        var desktop = pages.Page.GetByRole(AriaRole.Switch, new() { Name = "Desktop notifications", Exact = true });
        await Expect(desktop).ToBeEnabledAsync();
        await Expect(desktop).Not.ToBeCheckedAsync();
        await desktop.ClickAsync();
        await Expect(desktop).ToBeCheckedAsync();

        // Another tab of the app, then a recipient opens the mail.
        await pages.OpenMailAsync("Sent");
        var mail = await TestMail.SendAsync(app, user, to: "Greg <greg@example.com>", subject: "Renewal terms");
        using (var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            await client.GetAsync($"/t/o/{mail.OpenToken}.gif");
        }

        await app.ProjectedAsync();
        await pages.Page.WaitForFunctionAsync("() => window.__notifications.length > 0");
        var shown = await pages.Page.EvaluateAsync<string>("() => window.__notifications.map(n => n.title + ': ' + n.body).join('\\n')");
        Assert.Equal("MailTracker: Greg opened “Renewal terms”", shown);
        await Expect(pages.BellCount).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task NothingIsShownWhileTheSwitchIsOff()
    {
        var user = await app.CreateUserAsync("desk-off@example.com");
        await using var context = await browser.NewContextAsync(app, permissions: ["notifications"]);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.Page.Context.AddInitScriptAsync(RecordNotifications);
        await pages.SignInAsync("desk-off@example.com");
        await pages.OpenMailAsync("Sent");

        var mail = await TestMail.SendAsync(app, user, to: "Greg <greg@example.com>", subject: "Quiet terms");
        using (var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            await client.GetAsync($"/t/o/{mail.OpenToken}.gif");
        }

        await app.ProjectedAsync();
        // The bell rings from the same push that would have shown a notification.
        await Expect(pages.BellCount).ToHaveTextAsync("1");
        Assert.Equal(0, await pages.Page.EvaluateAsync<int>("() => window.__notifications.length"));
    }
}
