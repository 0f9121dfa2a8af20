using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Sync;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Tests.Infrastructure;

/// <summary>A MailTracker user whose mailbox is connected to a Dovecot user (SMTP through the app's own sandbox server).</summary>
public sealed record SyncedMailbox(AppUser User, string Email, int AccountId)
{
    /// <summary>Settings as a user would type them: this app's sandbox SMTP server (no sign-in) and the Dovecot IMAP server.</summary>
    public static MailboxSettings Settings(MailTrackerApp app, DovecotProcess dovecot, string email, string? imapPassword = null, bool appendToSent = true) => new()
    {
        EmailAddress = email,
        SmtpHost = "127.0.0.1",
        SmtpPort = app.SandboxPort,
        SmtpSecurity = MailSecurity.None,
        ImapHost = dovecot.Host,
        ImapPort = dovecot.Port,
        ImapSecurity = MailSecurity.None,
        ImapPassword = imapPassword ?? DovecotProcess.DefaultPassword,
        AppendToSentFolder = appendToSent,
    };

    /// <summary>Creates the app user and the Dovecot user, lets <paramref name="seed"/> fill the server, then connects.</summary>
    public static async Task<SyncedMailbox> ConnectAsync(MailTrackerApp app, DovecotProcess dovecot, string email, Func<Task>? seed = null, bool appendToSent = true)
    {
        var user = await app.CreateUserAsync(email);
        await dovecot.AddUserAsync(email);
        if (seed is not null)
        {
            await seed();
        }

        var result = await app.Service<MailboxConnections>().ConnectAsync(user.Id, Settings(app, dovecot, email, appendToSent: appendToSent));
        Assert.True(result.Connected, $"Connect failed: {result.Test}");
        await using var db = await app.DbAsync();
        var accountId = await db.MailAccounts.Where(a => a.OwnerId == user.Id).Select(a => a.Id).SingleAsync();
        return new SyncedMailbox(user, email, accountId);
    }

    public async Task WaitForInitialSyncAsync(MailTrackerApp app)
    {
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.FolderSyncStates.CountAsync(s => s.MailAccountId == AccountId && s.InitialSyncDone && s.LastSyncAt != null) == 2;
        }, $"the first sync of {Email}");
    }

    public async Task<List<Message>> MessagesAsync(MailTrackerApp app, MailFolder folder)
    {
        await using var db = await app.DbAsync();
        return await db.Messages.AsNoTracking().Where(m => m.MailAccountId == AccountId && m.Folder == folder).OrderBy(m => m.Date).ToListAsync();
    }

    public async Task<Message> WaitForMessageAsync(MailTrackerApp app, string subject, MailFolder folder = MailFolder.Inbox) =>
        await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.MailAccountId == AccountId && m.Folder == folder && m.Subject == subject);
        }, $"“{subject}” in {folder} of {Email}");

    public async Task<FolderSyncState> StateAsync(MailTrackerApp app, MailFolder folder)
    {
        await using var db = await app.DbAsync();
        return await db.FolderSyncStates.AsNoTracking().SingleAsync(s => s.MailAccountId == AccountId && s.Folder == folder);
    }
}

/// <summary>Mail as other people's clients would deliver it.</summary>
public static class TestMessages
{
    public static MimeMessage Create(
        string subject, string from = "Anna Nowak <anna@example.net>", string to = "rep@example.com",
        string? html = null, string? text = "Hello.", DateTimeOffset? date = null, string? messageId = null,
        string? inReplyTo = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = date ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("example.net");
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();
        return message;
    }
}
