using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

/// <summary>
/// Follow-up reminders and send later in a real Chromium against the real app, whose clock is a fake one started at
/// the real time: the test moves it on by days instead of waiting.
/// </summary>
public sealed class FollowUpTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        _app.UseClock(_clock);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task AReminderIfNoReplyRingsTheBellWhenDueShowsInFollowUpAndDoneClearsIt()
    {
        await _app.CreateUserAsync("gail@example.com", name: "Gail");
        await using var context = await browser.NewContextAsync(_app);
        var mail = new AppPages(await context.NewPageAsync());
        await mail.SignInAsync("gail@example.com");

        await mail.WriteAsync("Hank <hank@example.com>", "Quote for Hank", "Hello Hank, here is the quote.");
        await mail.RemindMeAsync("if no reply", "2 days");
        await mail.SendNowAsync();

        await mail.OpenMailAsync("Sent");
        await mail.MessageRow("Quote for Hank").GetByRole(AriaRole.Link).ClickAsync();
        await mail.WaitUntilInteractiveAsync();
        await Expect(mail.Page.GetByText("Reminder: if no reply,")).ToBeVisibleAsync();
        await Expect(mail.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel reminder" })).ToBeVisibleAsync();

        // Two days pass without a reply: the bell rings while the page is open.
        _clock.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromMinutes(1)));
        await Expect(mail.BellCount).ToHaveTextAsync("1");
        await mail.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true }).ClickAsync();
        await Expect(mail.Page.Locator(".bell-entry-button").First).ToContainTextAsync("Follow up: “Quote for Hank” got no reply");
        await mail.Page.Keyboard.PressAsync("Escape");

        await mail.OpenMailAsync();
        await mail.OpenFollowUpFolderAsync();
        var row = mail.MessageRow("Quote for Hank");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Snooze" })).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(mail.Page.GetByText("Nothing to follow up.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AMessageScheduledForLaterWaitsInTheOutboxThenGoesOutTrackedAtItsTime()
    {
        await _app.CreateUserAsync("ivy@example.com", name: "Ivy");
        await using var context = await browser.NewContextAsync(_app);
        var mail = new AppPages(await context.NewPageAsync());
        await mail.SignInAsync("ivy@example.com");
        var at = _clock.GetUtcNow().UtcDateTime.AddDays(1);
        at = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0);

        await mail.WriteAsync("Jack <jack@example.com>", "Monday proposal", "Hello Jack, our proposal.");
        await mail.SendLaterAsync(at);

        await mail.OpenMailAsync("Outbox");
        var waiting = mail.MessageRow("Monday proposal");
        await Expect(waiting).ToContainTextAsync("Scheduled for ");
        await Expect(waiting.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeVisibleAsync();
        await using (var db = await _app.DbAsync())
        {
            Assert.False(await db.SandboxDeliveries.AnyAsync(d => d.Subject == "Monday proposal"));
        }

        // Its time comes: it leaves the Outbox, and the recipient's open is tracked.
        _clock.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
        await Expect(waiting).ToHaveCountAsync(0);
        await mail.OpenMailAsync("Sent");
        var sent = mail.MessageRow("Monday proposal");
        await Expect(sent.GetByRole(AriaRole.Img, new() { Name = "Not opened yet" })).ToBeVisibleAsync();

        var recipient = new AppPages(await context.NewPageAsync());
        var frame = await recipient.OpenInSandboxAsync("Monday proposal");
        await Expect(frame.Locator("img[src*='/t/o/']")).ToHaveCountAsync(1);

        // The open's verdict settles after its window, which runs on the app's (fake) clock: let a few seconds pass.
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            return await db.TrackingEvents.AnyAsync(e => e.Kind == MailTracker.Core.Tracking.TrackingKind.Open && db.Messages.Any(m => m.Id == e.MessageId && m.Subject == "Monday proposal"));
        }, "the open to be projected");
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Expect(sent.GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await using var check = await _app.DbAsync();
        Assert.Equal(at, (await check.Messages.SingleAsync(m => m.Subject == "Monday proposal")).SentAt!.Value, TimeSpan.FromSeconds(5));
    }
}
