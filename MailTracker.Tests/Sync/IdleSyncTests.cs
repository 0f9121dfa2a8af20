using MailKit;
using MailKit.Search;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MailFolder = MailTracker.Core.Messages.MailFolder;

namespace MailTracker.Tests.Sync;

/// <summary>
/// The sync with the default rhythm (a check every minute): whatever shows up within the tests' 20 s wait came through
/// IMAP IDLE (new mail, flags changed elsewhere) or a wake from the app (read here, a sent copy to append).
/// </summary>
public sealed class IdleSyncTests(MailTrackerApp app, DovecotServer dovecot) : IClassFixture<MailTrackerApp>, IClassFixture<DovecotServer>
{
    [Fact]
    public async Task MailArrivingWhileIdleIsStoredAtOnce()
    {
        const string email = "idle@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email);
        await mailbox.WaitForInitialSyncAsync(app);

        await dovecot.AppendAsync(email, TestMessages.Create("Fresh lead"));

        var message = await mailbox.WaitForMessageAsync(app, "Fresh lead");
        Assert.Equal("anna@example.net", message.FromAddress);
        Assert.False(message.IsRead);
    }

    [Fact]
    public async Task ReadStateTravelsBothWays()
    {
        const string email = "flags@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, async () =>
        {
            await dovecot.AppendAsync(email, TestMessages.Create("Read me here"));
            await dovecot.AppendAsync(email, TestMessages.Create("Read me elsewhere"));
        });
        await mailbox.WaitForInitialSyncAsync(app);
        var inbox = await mailbox.MessagesAsync(app, MailFolder.Inbox);

        // Read in MailTracker → \Seen on the server.
        await app.Service<MailboxQueries>().MarkReadAsync(mailbox.User.Id, inbox.Single(m => m.Subject == "Read me here").Id);
        await Eventually.TrueAsync(async () => await dovecot.IsSeenAsync(email, "Read me here"), "\\Seen on the server");

        // Read in another client → read here.
        using (var other = await dovecot.ConnectAsync(email))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            var uid = (await other.Inbox.SearchAsync(SearchQuery.SubjectContains("Read me elsewhere"))).Single();
            await other.Inbox.AddFlagsAsync(uid, MessageFlags.Seen, silent: true);
        }

        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Inbox)).Single(m => m.Subject == "Read me elsewhere").IsRead, "read here");
        Assert.False((await mailbox.MessagesAsync(app, MailFolder.Inbox)).Single(m => m.Subject == "Read me here").SeenChangePending);
    }

    [Fact]
    public async Task MailSentThroughAConnectedMailboxIsCopiedToItsSentFolderWithoutPixelOnce()
    {
        const string email = "copies@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email);
        await mailbox.WaitForInitialSyncAsync(app);

        var sent = await TestMail.SendAsync(app, mailbox.User, to: "buyer@example.net", subject: "Proposal",
            html: "<p>See <a href=\"https://example.com/proposal\">the proposal</a>.</p>");
        Assert.NotNull(sent.OpenToken);

        // The copy on the server: the sender's, with the original link and no pixel.
        var copy = await Eventually.ReturnsAsync(async () => await dovecot.FindAsync(email, "Sent", "Proposal"), "the copy in Sent");
        Assert.Contains("href=\"https://example.com/proposal\"", copy.HtmlBody);
        Assert.DoesNotContain("/t/o/", copy.HtmlBody);
        Assert.DoesNotContain("/t/c/", copy.HtmlBody);
        Assert.True(copy.Seen);

        // Recognised by the sync: still one message in Sent here, now with its UID.
        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Sent)).Single().ImapUid is not null, "the copy linked");
        var local = Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Sent));
        Assert.Equal(sent.MessageId, local.Id);
        Assert.Equal(1, await dovecot.CountAsync(email, "Sent"));
    }

    [Fact]
    public async Task AReplyIsLinkedToTheMessageItAnswersAndCountsAsAnOpen()
    {
        const string email = "replies@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email);
        await mailbox.WaitForInitialSyncAsync(app);
        var sent = await TestMail.SendAsync(app, mailbox.User, to: "Dana <dana@example.net>", subject: "Offer");
        await using var db = await app.DbAsync();
        var original = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == sent.MessageId);

        await dovecot.AppendAsync(email, TestMessages.Create("Re: Offer", from: "Dana <dana@example.net>", to: email,
            text: "Sounds good.", inReplyTo: original.MessageIdHeader));

        var reply = await mailbox.WaitForMessageAsync(app, "Re: Offer");
        Assert.Equal(original.Id, reply.ReplyToMessageId);
        await app.ProjectedAsync();
        var opened = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == original.Id);
        Assert.Equal(1, opened.OpenCount);
        Assert.NotNull(opened.FirstOpenedAt);
        var evidence = Assert.Single(await db.TrackingEvents.AsNoTracking().Where(e => e.MessageId == original.Id).ToListAsync());
        Assert.Equal((TrackingKind.Open, Verdict.Reply, true, "dana@example.net"), (evidence.Kind, evidence.Verdict, evidence.Counted, evidence.Recipient));

        var details = await app.Service<MailboxQueries>().GetAsync(mailbox.User.Id, original.Id);
        Assert.Equal("Re: Offer", Assert.Single(details!.Thread).Subject);
        Assert.Equal(Verdict.Reply, Assert.Single(details.Timeline).Verdict);
    }
}
