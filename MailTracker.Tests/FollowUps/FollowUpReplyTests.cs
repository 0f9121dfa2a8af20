using MailTracker.Core.FollowUps;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.FollowUps;

/// <summary>A reply that arrives over IMAP (a real Dovecot server, the real sync) clears a follow-up reminder.</summary>
public sealed class FollowUpReplyTests(MailTrackerApp app, DovecotServer dovecot) : IClassFixture<MailTrackerApp>, IClassFixture<DovecotServer>
{
    [Fact]
    public async Task AFiredNoReplyReminderLeavesTheFollowUpFolderWhenTheReplyIsSynced()
    {
        const string email = "follow-up-reply@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email);
        await mailbox.WaitForInitialSyncAsync(app);
        var result = await app.Service<OutboxService>().QueueAsync(mailbox.User.Id, new ComposeRequest
        {
            To = "Dana <dana@example.net>", Subject = "Offer", HtmlBody = "<p>Our offer</p>", OpenTracking = true,
            Reminder = new ReminderRequest(ReminderCondition.NoReply, AfterDays: 1),
        });
        var id = result.MessageId!.Value;
        var sent = await mailbox.WaitForMessageAsync(app, "Offer", MailFolder.Sent);
        await Eventually.TrueAsync(async () => (await mailbox.MessagesAsync(app, MailFolder.Sent)).Single().Status == MessageStatus.Sent, "the offer to be sent");

        // A day passes (the due-time arithmetic on a fake clock is FollowUpReminderTests'; here the sync runs on the real one).
        await using (var db = await app.DbAsync())
        {
            var yesterday = DateTime.UtcNow.AddMinutes(-1);
            await db.FollowUpReminders.Where(r => r.MessageId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, yesterday));
        }

        await app.Service<FollowUpProcessor>().FireDueAsync(CancellationToken.None);
        var folder = new MailListQuery { FollowUp = true };
        Assert.Equal(id, Assert.Single((await app.Service<MailboxQueries>().ListAsync(mailbox.User.Id, folder)).Items).Id);

        await dovecot.AppendAsync(email, TestMessages.Create("Re: Offer", from: "Dana <dana@example.net>", to: email,
            text: "Sounds good.", inReplyTo: sent.MessageIdHeader));
        await mailbox.WaitForMessageAsync(app, "Re: Offer");

        Assert.Empty((await app.Service<MailboxQueries>().ListAsync(mailbox.User.Id, folder)).Items);
        Assert.Equal(ReminderState.ConditionMet, (await app.Service<FollowUpReminders>().GetAsync(mailbox.User.Id, id))!.State);
        Assert.Equal(0, (await app.Service<MailboxQueries>().CountsAsync(mailbox.User.Id)).FollowUp);
    }
}
