using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Infrastructure;

/// <summary>A sent tracked message and the tokens that went out with it.</summary>
/// <param name="ClickTokens">The visible links' tokens, in document order.</param>
/// <param name="HoneypotToken">The hidden honeypot link's token (link tracking on).</param>
public sealed record SentMail(long MessageId, string? OpenToken, IReadOnlyList<string> ClickTokens, string? HoneypotToken = null);

public static class TestMail
{
    /// <summary>The link in test mail: loopback, so even a client that followed the redirect would stay on this machine.</summary>
    public const string PricingUrl = "http://127.0.0.1:9/pricing";

    /// <summary>Queues a message as the composer would and waits until the outbox worker has sent it.</summary>
    public static async Task<SentMail> SendAsync(
        MailTrackerApp app, AppUser sender, string to = "bob@example.com", string subject = "Pricing",
        string html = "<p>Hi Bob, see <a href=\"" + PricingUrl + "\">pricing</a>.</p>",
        bool openTracking = true, bool linkTracking = true, int? templateId = null)
    {
        var result = await app.Service<OutboxService>().QueueAsync(sender.Id, new ComposeRequest
        {
            TemplateId = templateId,
            To = to,
            Subject = subject,
            HtmlBody = html,
            OpenTracking = openTracking,
            LinkTracking = linkTracking,
        });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        var id = result.MessageId!.Value;

        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Messages.AnyAsync(m => m.Id == id && m.Status == MessageStatus.Sent);
        }, $"message {id} to be sent");

        await using var context = await app.DbAsync();
        var tokens = await context.TrackingTokens.Where(t => t.MessageId == id).Include(t => t.TrackedLink).ToListAsync();
        return new SentMail(
            id,
            tokens.SingleOrDefault(t => t.Kind == TrackingKind.Open)?.Token,
            tokens.Where(t => t.Kind == TrackingKind.Click && !t.TrackedLink!.Hidden).OrderBy(t => t.TrackedLink!.Ordinal).Select(t => t.Token).ToList(),
            tokens.SingleOrDefault(t => t.Kind == TrackingKind.Click && t.TrackedLink!.Hidden)?.Token);
    }

    /// <summary>An HTTP client signed in through the real sign-in form (cookie jar, no auto-redirect).</summary>
    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(MailTrackerApp app, string email, string password = TestUsers.Password)
    {
        var cookies = new CookieContainer();
        var client = SignInForm.NewClient(app, cookies);
        var response = await SignInForm.PostAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/mail", response.Headers.Location!.OriginalString);
        return (client, cookies);
    }
}
