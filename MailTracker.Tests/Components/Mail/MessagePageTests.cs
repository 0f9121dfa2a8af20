using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Mail;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Mail;

/// <summary>The message view's parts that sync brings: the conversation, a reply in the timeline, and blocked remote images.</summary>
public sealed class MessagePageTests : ComponentTestBase
{
    public MessagePageTests()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task ASentMessageShowsItsReplyInTheConversationAndAsAnOpenInTheTimeline()
    {
        var (sent, reply) = await SeedConversationAsync(replyHtml: null);
        Render<MudPopoverProvider>();

        var cut = Render<MessagePage>(p => p.Add(m => m.Id, sent));

        cut.WaitForAssertion(() => Assert.Contains("Conversation", cut.Markup));
        Assert.Equal($"mail/{reply}", cut.Find(".message-list a.message-link").GetAttribute("href"));
        Assert.Contains("Re: Offer", cut.Find(".message-list").TextContent);
        var entry = cut.Find("ol.timeline li");
        Assert.Contains("Replied", entry.TextContent);
        Assert.Contains("dana@example.net replied, so it was opened", entry.TextContent);
        Assert.Equal("Opened", cut.Find(".message-view-icons [role=img]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task AutomatedHitsAreFoldedOnTheTimelineWithTheirReasonsBehindShow()
    {
        var (sent, _) = await SeedConversationAsync(replyHtml: null);
        await using (var db = await Db())
        {
            var at = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
            foreach (var i in Enumerable.Range(0, 5))
            {
                db.TrackingEvents.Add(new TrackingEvent
                {
                    MessageId = sent, Kind = TrackingKind.Click, OccurredAt = at.AddSeconds(i), Verdict = Verdict.Scanner,
                    Reason = "Microsoft gateway range 40.92.0.0/15", ClientClass = ClientClass.Machine,
                });
            }

            await db.SaveChangesAsync();
        }

        Render<MudPopoverProvider>();
        var cut = Render<MessagePage>(p => p.Add(m => m.Id, sent));

        cut.WaitForAssertion(() => Assert.Contains("5 automated hits hidden", cut.Markup));
        Assert.Single(cut.FindAll("ol.timeline li")); // the reply only
        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Show").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("ol.timeline li").Count));
        var scanner = cut.FindAll("ol.timeline li").First(li => li.TextContent.Contains("security scanner"));
        Assert.Contains("Microsoft gateway range 40.92.0.0/15", scanner.TextContent);
        Assert.Contains("machine", scanner.TextContent);
    }

    [Fact]
    public async Task AReceivedMessageBlocksRemoteImagesUntilShowImages()
    {
        var (sent, reply) = await SeedConversationAsync(replyHtml: "<p>Sure</p><img src=\"https://tracker.example.net/p.gif\">");
        Render<MudPopoverProvider>();

        var cut = Render<MessagePage>(p => p.Add(m => m.Id, reply));

        var frame = cut.WaitForElement("iframe.mail-body-frame");
        Assert.Contains("img-src data: cid:\"", frame.GetAttribute("srcdoc"));
        Assert.Contains($"mail/{sent}", cut.Find(".message-list a.message-link").GetAttribute("href"));

        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Show images").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("img-src data: cid: https: http:", cut.Find("iframe.mail-body-frame").GetAttribute("srcdoc")));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Show images");
    }

    [Fact]
    public async Task OurOwnSentCopyNeedsNoShowImages()
    {
        var (sent, _) = await SeedConversationAsync(replyHtml: null, sentHtml: "<p>Logo</p><img src=\"https://example.com/logo.png\">");
        Render<MudPopoverProvider>();

        var cut = Render<MessagePage>(p => p.Add(m => m.Id, sent));

        Assert.Contains("https: http:", cut.WaitForElement("iframe.mail-body-frame").GetAttribute("srcdoc"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Show images");
    }

    private async Task<(long Sent, long Reply)> SeedConversationAsync(string? replyHtml, string sentHtml = "<p>Our offer</p>")
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        var account = new MailAccount { OwnerId = userId, EmailAddress = "rep@example.com", IsSandbox = true };
        db.MailAccounts.Add(account);
        await db.SaveChangesAsync();
        var sentAt = Clock.GetUtcNow().UtcDateTime.AddHours(-3);
        var sent = Message.Queue(new OutgoingMail
        {
            OwnerId = userId,
            MailAccountId = account.Id,
            FromAddress = "rep@example.com",
            To = "Dana <dana@example.net>",
            Subject = "Offer",
            HtmlBody = sentHtml,
            TextBody = "Our offer",
            OpenTracking = true,
            MessageIdHeader = "offer@example.com",
        }, sentAt);
        sent.MarkSent(sentAt);
        db.Messages.Add(sent);
        await db.SaveChangesAsync();
        var reply = Message.Receive(new IncomingMail
        {
            OwnerId = userId,
            MailAccountId = account.Id,
            Folder = MailFolder.Inbox,
            FromAddress = "dana@example.net",
            FromName = "Dana",
            To = "rep@example.com",
            Subject = "Re: Offer",
            HtmlBody = replyHtml,
            TextBody = "Sure",
            MessageIdHeader = "reply@example.net",
            InReplyTo = "offer@example.com",
            Date = sentAt.AddHours(1),
            ReplyToMessageId = sent.Id,
        });
        db.Messages.Add(reply);
        db.TrackingEvents.Add(new TrackingEvent
        {
            MessageId = sent.Id,
            Kind = TrackingKind.Open,
            Verdict = Verdict.Reply,
            Counted = true,
            OccurredAt = sentAt.AddHours(1),
            Recipient = "dana@example.net",
        });
        await db.SaveChangesAsync();
        // As the sync records it: the reply is the message's first open.
        var opened = sentAt.AddHours(1);
        await db.Messages.Where(m => m.Id == sent.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.OpenCount, 1).SetProperty(m => m.FirstOpenedAt, opened).SetProperty(m => m.LastOpenedAt, opened));
        return (sent.Id, reply.Id);
    }
}
