using System.Net;
using System.Text.RegularExpressions;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Tests.Messages;

/// <summary>
/// "Track each recipient separately" through the real outbox, the sandbox SMTP server, the tracking endpoints and the
/// projector: a copy per recipient with its own tokens, per-recipient delivery and retries, and opens that say who.
/// </summary>
public sealed partial class PerRecipientTrackingTests(PerRecipientTrackingTests.App app) : IClassFixture<PerRecipientTrackingTests.App>
{
    private const string Thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0";
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    /// <summary>Behind a reverse proxy on loopback, so each test plays readers on any network; three attempts at most.</summary>
    public sealed class App : MailTrackerApp
    {
        public App()
        {
            Set("ReverseProxy:KnownProxies:0", "127.0.0.1");
            Set("Outbox:MaxAttempts", "3");
        }
    }

    [GeneratedRegex(@"/t/o/([A-Za-z0-9_-]{22})\.gif")]
    private static partial Regex PixelPattern();

    [GeneratedRegex(@"/t/c/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private HttpClient Reader(string clientIp, string userAgent)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    private async Task<long> QueueAsync(string userId, string subject, string to, string cc = "", string bcc = "", bool eachRecipient = true)
    {
        var result = await app.Service<OutboxService>().QueueAsync(userId, new ComposeRequest
        {
            To = to,
            Cc = cc,
            Bcc = bcc,
            Subject = subject,
            HtmlBody = $"<p>Hello, see <a href=\"{TestMail.PricingUrl}\">pricing</a>.</p>",
            OpenTracking = true,
            LinkTracking = true,
            TrackEachRecipient = eachRecipient,
        });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        return result.MessageId!.Value;
    }

    private async Task<Message> WaitForAsync(long id, Func<Message, bool> condition, string what) =>
        await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await app.DbAsync();
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
            return condition(message) ? message : null;
        }, what);

    /// <summary>The copies the sandbox received for a subject, by envelope recipient.</summary>
    private async Task<Dictionary<string, List<MimeMessage>>> CopiesAsync(string subject)
    {
        await using var db = await app.DbAsync();
        var deliveries = await db.SandboxDeliveries.AsNoTracking().Where(d => d.Subject == subject).ToListAsync();
        return deliveries.GroupBy(d => d.EnvelopeTo).ToDictionary(g => g.Key, g => g.Select(d => MimeMessage.Load(new MemoryStream(d.Raw))).ToList());
    }

    [Fact]
    public async Task EachRecipientsCopyArrivesAloneWithItsOwnTokensTheSameHeadersAndNoBcc()
    {
        var sender = await app.CreateUserAsync("copies@recipients.test");
        var id = await QueueAsync(sender.Id, "Copies", "Anna Client <anna@client.test>", cc: "bob@client.test", bcc: "carol@client.test");
        await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "every copy to be sent");

        var copies = await CopiesAsync("Copies");
        Assert.Equal(["anna@client.test", "bob@client.test", "carol@client.test"], copies.Keys.Order());
        Assert.All(copies.Values, list => Assert.Single(list));
        await using var db = await app.DbAsync();
        var tokens = await db.TrackingTokens.AsNoTracking().Where(t => t.MessageId == id).ToDictionaryAsync(t => t.Token);
        var seen = new HashSet<string>();
        foreach (var (recipient, list) in copies)
        {
            var mime = list.Single();
            Assert.Equal("Anna Client <anna@client.test>", mime.Headers[HeaderId.To]);
            Assert.Equal("bob@client.test", mime.Headers[HeaderId.Cc]);
            Assert.False(mime.Headers.Contains(HeaderId.Bcc), $"{recipient}'s copy has a Bcc header");
            Assert.DoesNotContain("carol@client.test", mime.Headers.ToString());

            // The pixel and the link of this copy are this recipient's, and nobody else's.
            var pixel = PixelPattern().Match(mime.HtmlBody!).Groups[1].Value;
            var links = LinkPattern().Matches(mime.HtmlBody!).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(2, links.Count); // the visible link and the hidden honeypot
            foreach (var token in links.Append(pixel))
            {
                Assert.Equal(recipient, tokens[token].Recipient);
                Assert.True(seen.Add(token), $"token {token} is in more than one copy");
            }
        }

        var recipients = await db.MessageRecipients.AsNoTracking().Where(r => r.MessageId == id).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([RecipientRole.To, RecipientRole.Cc, RecipientRole.Bcc], recipients.Select(r => r.Role));
        Assert.All(recipients, r => Assert.Equal(DeliveryState.Sent, r.State));
    }

    [Fact]
    public async Task WithTheSwitchOffSeveralRecipientsShareOneCopyAsBefore()
    {
        var sender = await app.CreateUserAsync("shared@recipients.test");
        var id = await QueueAsync(sender.Id, "Shared", "anna@client.test", cc: "bob@client.test", eachRecipient: false);
        var sent = await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "the message to be sent");

        Assert.False(sent.TrackPerRecipient);
        var copies = await CopiesAsync("Shared");
        Assert.Equal("anna@client.test, bob@client.test", Assert.Single(copies.Keys));
        await using var db = await app.DbAsync();
        Assert.All(await db.TrackingTokens.Where(t => t.MessageId == id).ToListAsync(), t => Assert.Null(t.Recipient));
        Assert.False(await db.MessageRecipients.AnyAsync(r => r.MessageId == id));
    }

    [Fact]
    public async Task APartialFailureIsRetriedForTheFailingRecipientsOnlyAndShownPerRecipient()
    {
        var sender = await app.CreateUserAsync("partial@recipients.test");
        var id = await QueueAsync(sender.Id, "Partial", "anna@client.test", cc: "later@defer.invalid, nobody@reject.invalid");

        // The deferred copy is tried three times, the refused one once, the delivered one never again.
        var failed = await WaitForAsync(id, m => m.Status == MessageStatus.Failed, "the retries of the deferred copy to run out");
        Assert.Equal(3, failed.Attempts);
        Assert.Equal(MailFolder.Outbox, failed.Folder);
        Assert.NotNull(failed.SentAt); // anna's copy left on the first attempt
        Assert.Contains("nobody@reject.invalid", failed.LastError);
        Assert.Contains("later@defer.invalid", failed.LastError);
        var copies = await CopiesAsync("Partial");
        Assert.Equal(["anna@client.test"], copies.Keys);
        Assert.Single(copies["anna@client.test"]);

        var details = (await app.Service<MailboxQueries>().GetAsync(sender.Id, id))!;
        var states = details.Recipients.ToDictionary(r => r.Address);
        Assert.Equal(DeliveryState.Sent, states["anna@client.test"].State);
        Assert.Equal(DeliveryState.Failed, states["later@defer.invalid"].State);
        Assert.StartsWith("Gave up after 3 attempts. Last error: 451 ", states["later@defer.invalid"].LastError);
        Assert.Equal(DeliveryState.Failed, states["nobody@reject.invalid"].State);
        Assert.StartsWith("550 ", states["nobody@reject.invalid"].LastError);

        // Retrying sends to the two who have no copy, not to anna again.
        Assert.True(await app.Service<OutboxService>().RetryAsync(sender.Id, id));
        await WaitForAsync(id, m => m.Status == MessageStatus.Failed && m.Attempts == 4, "the retry to fail again");
        await using var db = await app.DbAsync();
        Assert.Equal(1, await db.SandboxDeliveries.CountAsync(d => d.Subject == "Partial"));
        var retried = await db.MessageRecipients.AsNoTracking().Where(r => r.MessageId == id).ToDictionaryAsync(r => r.Address);
        Assert.Equal(DeliveryState.Failed, retried["later@defer.invalid"].State);
        Assert.Contains("Last error: 451 ", retried["later@defer.invalid"].LastError);
        Assert.Equal(DeliveryState.Sent, retried["anna@client.test"].State);
        Assert.True((await app.Service<MailboxQueries>().GetItemAsync(sender.Id, id))!.PartlySent);

        // Cancelling a message anna already has files it under Sent (not Drafts); nobody else is sent a copy.
        Assert.True(await app.Service<OutboxService>().CancelAsync(sender.Id, id));
        var filed = await WaitForAsync(id, m => m.Folder == MailFolder.Sent, "the message to be filed under Sent");
        Assert.Equal(MessageStatus.Sent, filed.Status);
        Assert.Equal(1, await db.SandboxDeliveries.CountAsync(d => d.Subject == "Partial"));
    }

    [Fact]
    public async Task OneRecipientOpeningIsShownAsThemAndTheBellNamesTheContact()
    {
        var sender = await app.CreateUserAsync("who@recipients.test");
        var saved = await app.Service<ContactBook>().AddAsync(sender.Id, new PersonInput { Name = "Anna Client", Email = "anna@client.test" });
        Assert.True(saved.Succeeded);
        var id = await QueueAsync(sender.Id, "Pricing", "anna@client.test, bob@client.test");
        await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "every copy to be sent");
        var annasPixel = PixelPattern().Match((await CopiesAsync("Pricing"))["anna@client.test"].Single().HtmlBody!).Groups[1].Value;

        (await Reader("198.51.100.20", Thunderbird).GetAsync($"/t/o/{annasPixel}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();

        var row = (await app.Service<MailboxQueries>().GetItemAsync(sender.Id, id))!;
        Assert.Equal(1, row.OpenCount);
        Assert.Equal("anna@client.test", Assert.Single(row.Openers).Address);
        var details = (await app.Service<MailboxQueries>().GetAsync(sender.Id, id))!;
        Assert.Equal("anna@client.test", Assert.Single(details.Timeline).Recipient);
        var recipients = details.Recipients.ToDictionary(r => r.Address);
        Assert.NotNull(recipients["anna@client.test"].FirstOpenedAt);
        Assert.Null(recipients["bob@client.test"].FirstOpenedAt);
        var bell = Assert.Single(await app.Service<NotificationCenter>().ListAsync(sender.Id));
        Assert.Equal("Anna Client", bell.Actor);

        // Bob (no contact) opening too gets an entry of his own, under his address, not a bump of Anna's.
        var bobsPixel = PixelPattern().Match((await CopiesAsync("Pricing"))["bob@client.test"].Single().HtmlBody!).Groups[1].Value;
        (await Reader("203.0.113.30", Thunderbird).GetAsync($"/t/o/{bobsPixel}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();
        var entries = await app.Service<NotificationCenter>().ListAsync(sender.Id);
        Assert.Equal(["Anna Client", "bob@client.test"], entries.Select(e => e.Actor).Order());
        Assert.All(entries, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task VerdictsApplyToEachCopyOnItsOwn()
    {
        var sender = await app.CreateUserAsync("verdicts@recipients.test");
        var id = await QueueAsync(sender.Id, "Office", "anna@office.test, bob@office.test, carol@office.test, dan@office.test");
        await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "every copy to be sent");
        var copies = await CopiesAsync("Office");
        string Pixel(string who) => PixelPattern().Match(copies[who].Single().HtmlBody!).Groups[1].Value;

        // Three colleagues behind one office address, each in their own mail client, within a minute: judged as one
        // message this is one address switching agents (a machine); judged per copy, three people.
        (await Reader("192.0.2.10", Thunderbird).GetAsync($"/t/o/{Pixel("anna@office.test")}.gif")).EnsureSuccessStatusCode();
        (await Reader("192.0.2.10", Chrome).GetAsync($"/t/o/{Pixel("bob@office.test")}.gif")).EnsureSuccessStatusCode();
        (await Reader("192.0.2.10", Firefox).GetAsync($"/t/o/{Pixel("carol@office.test")}.gif")).EnsureSuccessStatusCode();

        // A machine on one copy stays a machine: Dan's gateway fetches his pixel with an HTTP library.
        (await Reader("198.51.100.99", "python-requests/2.32.3").GetAsync($"/t/o/{Pixel("dan@office.test")}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();

        await using var db = await app.DbAsync();
        var events = await db.TrackingEvents.AsNoTracking().Where(e => e.MessageId == id).ToDictionaryAsync(e => e.Recipient!);
        Assert.All(["anna@office.test", "bob@office.test", "carol@office.test"], who => Assert.Equal(Verdict.Human, events[who].Verdict));
        Assert.Equal(Verdict.Scanner, events["dan@office.test"].Verdict);
        var row = (await app.Service<MailboxQueries>().GetItemAsync(sender.Id, id))!;
        Assert.Equal(3, row.OpenCount);
        Assert.Equal(["anna@office.test", "bob@office.test", "carol@office.test"], row.Openers.Select(o => o.Address).Order());
    }
}
