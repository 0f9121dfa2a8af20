using MailKit;
using MailKit.Search;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MailFolder = MailTracker.Core.Messages.MailFolder;

namespace MailTracker.Tests.Sync;

/// <summary>
/// The IMAP sync against a real Dovecot, with a one-second poll: the first sync, a UIDVALIDITY change, a provider that
/// files sent mail itself, and an outage.
/// </summary>
public sealed class MailSyncTests(SyncApp app, DovecotServer dovecot) : IClassFixture<SyncApp>, IClassFixture<DovecotServer>
{
    [Fact]
    public async Task TheFirstSyncStoresRecentInboxAndSentMailWithItsReadStateButNotOlderMail()
    {
        const string email = "initial@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, async () =>
        {
            await dovecot.AppendAsync(email, TestMessages.Create("Quote request", html: "<p>Can you <b>quote</b>?</p>", date: DateTimeOffset.UtcNow.AddDays(-2)));
            await dovecot.AppendAsync(email, TestMessages.Create("Already read", date: DateTimeOffset.UtcNow.AddDays(-1)), seen: true);
            await dovecot.AppendAsync(email, TestMessages.Create("Long ago", date: DateTimeOffset.UtcNow.AddDays(-60)));
            await dovecot.AppendAsync(email, TestMessages.Create("Sent elsewhere", from: email, to: "client@example.net"), "Sent", seen: true);
        });

        await mailbox.WaitForInitialSyncAsync(app);

        var inbox = await mailbox.MessagesAsync(app, MailFolder.Inbox);
        Assert.Equal(["Quote request", "Already read"], inbox.Select(m => m.Subject));
        Assert.Equal([false, true], inbox.Select(m => m.IsRead));
        Assert.Equal("<p>Can you <b>quote</b>?</p>", inbox[0].HtmlBody);
        Assert.Equal("Anna Nowak", inbox[0].FromName);
        Assert.All(inbox, m => Assert.NotNull(m.ImapUid));
        var sent = Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Sent));
        Assert.Equal("Sent elsewhere", sent.Subject);
        Assert.Equal(MessageStatus.Sent, sent.Status);
        var state = await mailbox.StateAsync(app, MailFolder.Inbox);
        Assert.Equal(3, state.LastUid);
        Assert.Equal((2, 2), (state.InitialTotal, state.InitialStored));
        Assert.Equal("Sent", (await mailbox.StateAsync(app, MailFolder.Sent)).ServerName);
    }

    [Fact]
    public async Task AUidValidityChangeResyncsTheFolderWithoutDuplicatesOrGaps()
    {
        const string email = "uidvalidity@example.com";
        var a = TestMessages.Create("Sent A", from: email, to: "x@example.net");
        var b = TestMessages.Create("Sent B", from: email, to: "y@example.net");
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, async () =>
        {
            await dovecot.AppendAsync(email, a, "Sent", seen: true);
            await dovecot.AppendAsync(email, b, "Sent", seen: true);
        });
        await mailbox.WaitForInitialSyncAsync(app);
        var before = await mailbox.StateAsync(app, MailFolder.Sent);
        Assert.Equal(2, before.LastUid);

        // The folder is recreated (a server migration, a restore): new UIDVALIDITY, UIDs from 1 again, in another order.
        // Syncing by UID alone would take B (UID 3 > 2) as new and never see C (UID 1).
        using (var admin = await dovecot.ConnectAsync(email))
        {
            var sent = await admin.GetFolderAsync("Sent");
            await sent.DeleteAsync();
            var recreated = await admin.GetFolder(admin.PersonalNamespaces[0]).CreateAsync("Sent", isMessageFolder: true);
            await recreated!.AppendAsync(new AppendRequest(TestMessages.Create("Sent C", from: email, to: "z@example.net"), MessageFlags.Seen));
            await recreated.AppendAsync(new AppendRequest(a, MessageFlags.Seen));
            await recreated.AppendAsync(new AppendRequest(b, MessageFlags.Seen));
        }

        await mailbox.WaitForMessageAsync(app, "Sent C", MailFolder.Sent);
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Sent)) is { InitialSyncDone: true, LastUid: 3 } s && s.UidValidity != before.UidValidity, "the resync to finish");
        var after = await mailbox.StateAsync(app, MailFolder.Sent);
        var messages = await mailbox.MessagesAsync(app, MailFolder.Sent);
        Assert.Equal(["Sent A", "Sent B", "Sent C"], messages.Select(m => m.Subject).Order());
        Assert.All(messages, m => Assert.Equal(after.UidValidity, m.ImapUidValidity));
        Assert.Equal(2, messages.Single(m => m.Subject == "Sent A").ImapUid);
    }

    [Fact]
    public async Task MailDeletedOnTheServerIsRemovedHereButMailSentFromMailTrackerStays()
    {
        const string email = "deleted-there@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, async () =>
        {
            await dovecot.AppendAsync(email, TestMessages.Create("Keep me"));
            await dovecot.AppendAsync(email, TestMessages.Create("Delete me"));
        });
        await mailbox.WaitForInitialSyncAsync(app);
        var sent = await TestMail.SendAsync(app, mailbox.User, subject: "Sent from here");
        await Eventually.TrueAsync(
            async () => (await mailbox.MessagesAsync(app, MailFolder.Sent)).Any(m => m.Id == sent.MessageId && m.ImapUid != null), "the sent copy appended");

        await dovecot.DeleteAsync(email, "INBOX", "Delete me");
        await dovecot.DeleteAsync(email, "Sent", "Sent from here");

        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Inbox)).All(m => m.Subject != "Delete me"), "the deleted mail removed");
        // Sent is looked at before the inbox in every pass: one more finished Sent sync has seen its deletion too.
        var removedAt = DateTime.UtcNow;
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Sent)).LastSyncAt > removedAt, "a pass over Sent after the deletion");
        Assert.Contains(await mailbox.MessagesAsync(app, MailFolder.Inbox), m => m.Subject == "Keep me");
        var kept = Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Sent), m => m.Id == sent.MessageId);
        Assert.True(kept.IsTracked);
    }

    [Fact]
    public async Task AfterAUidValidityChangeASentCopyDeletedThereIsNotAppendedAgain()
    {
        const string email = "deleted-then-reset@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, () => Task.CompletedTask);
        await mailbox.WaitForInitialSyncAsync(app);
        var sent = await TestMail.SendAsync(app, mailbox.User, subject: "Deleted there");
        await Eventually.TrueAsync(
            async () => (await mailbox.MessagesAsync(app, MailFolder.Sent)).Any(m => m.Id == sent.MessageId && m.ImapUid != null), "the sent copy appended");
        var before = await mailbox.StateAsync(app, MailFolder.Sent);

        // The user deletes the copy, and the folder is then recreated (a restore): a new UIDVALIDITY without the copy.
        using (var admin = await dovecot.ConnectAsync(email))
        {
            await (await admin.GetFolderAsync("Sent")).DeleteAsync();
            var recreated = await admin.GetFolder(admin.PersonalNamespaces[0]).CreateAsync("Sent", isMessageFolder: true);
            await recreated!.AppendAsync(new AppendRequest(TestMessages.Create("Restored", from: email, to: "z@example.net"), MessageFlags.Seen));
        }

        await mailbox.WaitForMessageAsync(app, "Restored", MailFolder.Sent);
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Sent)) is { InitialSyncDone: true } s && s.UidValidity != before.UidValidity, "the resync to finish");
        // Copies are appended at the start of a Sent pass: one more finished pass has had its chance to append.
        var resyncedAt = DateTime.UtcNow;
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Sent)).LastSyncAt > resyncedAt, "another pass over Sent");

        using (var check = await dovecot.ConnectAsync(email))
        {
            var folder = await check.GetFolderAsync("Sent");
            await folder.OpenAsync(FolderAccess.ReadOnly);
            var subjects = (await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(m => m.Envelope!.Subject).ToList();
            Assert.Equal(["Restored"], subjects);
        }

        var kept = Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Sent), m => m.Id == sent.MessageId);
        Assert.True(kept.IsTracked);
    }

    [Fact]
    public async Task WhereTheProviderFilesSentMailItselfItsCopyIsRecognisedByMessageId()
    {
        const string email = "gmail-like@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, appendToSent: false);
        await mailbox.WaitForInitialSyncAsync(app);

        var sent = await TestMail.SendAsync(app, mailbox.User, subject: "Filed by the provider");
        await using (var db = await app.DbAsync())
        {
            var message = await db.Messages.SingleAsync(m => m.Id == sent.MessageId);
            // What Gmail does with mail sent through its SMTP server.
            await dovecot.AppendAsync(email, OutgoingMimeFactory.Build(message, null), "Sent", seen: true);
        }

        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Sent)).Single().ImapUid is not null, "the provider's copy linked");
        Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Sent));
        Assert.Equal(1, await dovecot.CountAsync(email, "Sent"));
    }

    [Fact]
    public async Task WithoutASentFlagTheSentFolderIsFoundByItsName()
    {
        const string email = "sent-items@example.com";
        var user = await app.CreateUserAsync(email);
        await dovecot.AddUserAsync(email, sentFolder: false);
        using (var client = await dovecot.ConnectAsync(email))
        {
            // Only "Sent" carries \Sent on this server; "Sent Items" is what Outlook-era mailboxes call it.
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Sent Items", isMessageFolder: true);
        }

        await dovecot.AppendAsync(email, TestMessages.Create("Filed in Sent Items", from: email, to: "x@example.net"), "Sent Items", seen: true);
        var result = await app.Service<MailboxConnections>().ConnectAsync(user.Id, SyncedMailbox.Settings(app, dovecot, email));
        Assert.True(result.Connected);
        await using var db = await app.DbAsync();
        var mailbox = new SyncedMailbox(user, email, await db.MailAccounts.Where(a => a.OwnerId == user.Id).Select(a => a.Id).SingleAsync());

        await mailbox.WaitForMessageAsync(app, "Filed in Sent Items", MailFolder.Sent);
        Assert.Equal("Sent Items", (await mailbox.StateAsync(app, MailFolder.Sent)).ServerName);
    }

    [Fact]
    public async Task AnUnreachableServerIsReportedAndRetriedAndTheSyncRecovers()
    {
        const string email = "outage@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email);
        await mailbox.WaitForInitialSyncAsync(app);

        // The server moves away (nothing listens on the new port): the error shows, and retries keep failing.
        await ChangeImapPortAsync(mailbox, FreePort.Next());
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Inbox)) is { LastErrorKind: MailConnectionProblemKind.Refused, ConsecutiveFailures: >= 2 }, "the failure recorded twice");

        // It is back: the next attempt syncs again and clears the error.
        await ChangeImapPortAsync(mailbox, dovecot.Port);
        await dovecot.AppendAsync(email, TestMessages.Create("After the outage"));
        await mailbox.WaitForMessageAsync(app, "After the outage");
        await Eventually.TrueAsync(async () => (await mailbox.StateAsync(app, MailFolder.Inbox)).LastErrorKind is null, "the error cleared");
    }

    private async Task ChangeImapPortAsync(SyncedMailbox mailbox, int port)
    {
        await using var db = await app.DbAsync();
        var account = await db.MailAccounts.SingleAsync(a => a.Id == mailbox.AccountId);
        account.ImapPort = port;
        account.ConnectedAt = account.ConnectedAt!.Value.AddTicks(1); // new settings: the worker restarts the loop
        await db.SaveChangesAsync();
        app.Service<MailSyncSignal>().AccountsChanged();
    }

}
