using MailKit;
using MailKit.Search;
using MailTracker.Tests.Infrastructure;
using MailFolder = MailTracker.Core.Messages.MailFolder;

namespace MailTracker.Tests.Sync;

/// <summary>A server without IDLE (and without CONDSTORE): the sync polls, and compares every flag each time.</summary>
public sealed class PollingSyncTests(SyncApp app, DovecotServerWithoutIdle dovecot) : IClassFixture<SyncApp>, IClassFixture<DovecotServerWithoutIdle>
{
    [Fact]
    public async Task WithoutIdleNewMailAndFlagChangesArriveByPolling()
    {
        const string email = "polling@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, () => dovecot.AppendAsync(email, TestMessages.Create("Before")));
        await mailbox.WaitForInitialSyncAsync(app);
        using (var probe = await dovecot.ConnectAsync(email))
        {
            Assert.False(probe.Capabilities.HasFlag(MailKit.Net.Imap.ImapCapabilities.Idle));
        }

        await dovecot.AppendAsync(email, TestMessages.Create("Polled"));
        using (var other = await dovecot.ConnectAsync(email))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.AddFlagsAsync((await other.Inbox.SearchAsync(SearchQuery.SubjectContains("Before"))).Single(), MessageFlags.Seen, silent: true);
        }

        await mailbox.WaitForMessageAsync(app, "Polled");
        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Inbox)).Single(m => m.Subject == "Before").IsRead, "the flag polled");
    }
}
