using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Accounts;

/// <summary>Connecting a real mailbox: what a failed test says, what a good one stores, and going back to the sandbox.</summary>
public sealed class MailboxConnectionTests(MailTrackerApp app, DovecotServer dovecot) : IClassFixture<MailTrackerApp>, IClassFixture<DovecotServer>
{
    private MailboxConnections Connections => app.Service<MailboxConnections>();

    [Fact]
    public async Task AWrongPasswordIsAnAuthenticationProblemAndNothingIsSaved()
    {
        var user = await app.CreateUserAsync("wrong-password@example.com");
        await dovecot.AddUserAsync(user.Email!);

        var result = await Connections.ConnectAsync(user.Id, SyncedMailbox.Settings(app, dovecot, user.Email!, imapPassword: "not-the-password"));

        Assert.False(result.Connected);
        Assert.Null(result.Test!.Smtp);
        Assert.Equal(MailConnectionProblemKind.Authentication, result.Test.Imap!.Kind);
        var account = await AccountAsync(user.Id);
        Assert.True(account.IsSandbox);
        Assert.Null(account.ImapPasswordProtected);
        Assert.Equal("", account.ImapHost);
    }

    [Theory]
    [InlineData("dns", MailConnectionProblemKind.HostNotFound)]
    [InlineData("refused", MailConnectionProblemKind.Refused)]
    [InlineData("tls", MailConnectionProblemKind.Tls)]
    [InlineData("not-imap", MailConnectionProblemKind.NotMailServer)]
    public async Task EachKindOfWrongSettingIsToldApart(string mistake, MailConnectionProblemKind expected)
    {
        var user = await app.CreateUserAsync($"{mistake}@example.com");
        await dovecot.AddUserAsync(user.Email!);
        var settings = SyncedMailbox.Settings(app, dovecot, user.Email!);
        settings = mistake switch
        {
            "dns" => settings with { ImapHost = "no-such-host.invalid" },
            "refused" => settings with { ImapPort = FreePort.Next() },
            // Dovecot here speaks plain IMAP; a TLS handshake on it fails.
            "tls" => settings with { ImapSecurity = MailSecurity.SslTls },
            // The sandbox SMTP server answers with an SMTP greeting.
            _ => settings with { ImapPort = app.SandboxPort },
        };

        var result = await Connections.ConnectAsync(user.Id, settings);

        Assert.False(result.Connected);
        Assert.Null(result.Test!.Smtp);
        Assert.Equal(expected, result.Test.Imap!.Kind);
        Assert.True((await AccountAsync(user.Id)).IsSandbox);
    }

    [Fact]
    public async Task BothSidesAreTestedSoBothProblemsAreReportedAtOnce()
    {
        var user = await app.CreateUserAsync("both@example.com");
        await dovecot.AddUserAsync(user.Email!);
        var settings = SyncedMailbox.Settings(app, dovecot, user.Email!, imapPassword: "nope") with { SmtpPort = FreePort.Next() };

        var result = await Connections.ConnectAsync(user.Id, settings);

        Assert.Equal(MailConnectionProblemKind.Refused, result.Test!.Smtp!.Kind);
        Assert.Equal(MailConnectionProblemKind.Authentication, result.Test.Imap!.Kind);
    }

    [Fact]
    public async Task MissingFieldsAreNamedBeforeAnythingIsTried()
    {
        var user = await app.CreateUserAsync("fields@example.com");

        var result = await Connections.ConnectAsync(user.Id, new MailboxSettings { EmailAddress = "not an address", SmtpPort = 0, ImapHost = " " });

        Assert.Null(result.Test);
        Assert.Equal(
            [MailboxField.EmailAddress, MailboxField.SmtpHost, MailboxField.SmtpPort, MailboxField.ImapHost, MailboxField.ImapPassword],
            result.Invalid);
    }

    [Fact]
    public async Task AWorkingMailboxIsSavedWithItsPasswordEncryptedAndNeverHandedOut()
    {
        var user = await app.CreateUserAsync("good@example.com");
        await dovecot.AddUserAsync(user.Email!);

        var result = await Connections.ConnectAsync(user.Id, SyncedMailbox.Settings(app, dovecot, user.Email!));

        Assert.True(result.Connected);
        var account = await AccountAsync(user.Id);
        Assert.False(account.IsSandbox);
        Assert.Equal((dovecot.Host, dovecot.Port, user.Email), (account.ImapHost, account.ImapPort, account.ImapUsername));
        Assert.NotNull(account.ImapPasswordProtected);
        Assert.DoesNotContain(DovecotProcess.DefaultPassword, account.ImapPasswordProtected);
        Assert.Equal(DovecotProcess.DefaultPassword, app.Service<MailboxSecrets>().Unprotect(account.ImapPasswordProtected));
        // No SMTP password given: the sandbox SMTP server is used without signing in.
        Assert.Null(account.SmtpPasswordProtected);
        var view = await Connections.GetAsync(user.Id);
        Assert.DoesNotContain(typeof(MailboxView).GetProperties(), p => p.Name.Contains("Password", StringComparison.Ordinal));
        Assert.Equal(user.Email, view!.EmailAddress);
    }

    [Fact]
    public async Task DisconnectGoesBackToTheSandboxAndKeepsTheMail()
    {
        const string email = "leaving@example.com";
        var mailbox = await SyncedMailbox.ConnectAsync(app, dovecot, email, () => dovecot.AppendAsync(email, TestMessages.Create("Keep me")));
        await mailbox.WaitForMessageAsync(app, "Keep me");

        Assert.True(await Connections.DisconnectAsync(mailbox.User.Id));

        var account = await AccountAsync(mailbox.User.Id);
        Assert.True(account.IsSandbox);
        Assert.Null(account.ImapPasswordProtected);
        Assert.Equal("", account.ImapHost);
        var kept = Assert.Single(await mailbox.MessagesAsync(app, MailFolder.Inbox));
        Assert.Null(kept.ImapUid);
        await using var db = await app.DbAsync();
        Assert.False(await db.FolderSyncStates.AnyAsync(s => s.MailAccountId == mailbox.AccountId));
    }

    private async Task<MailAccount> AccountAsync(string userId)
    {
        await using var db = await app.DbAsync();
        return await db.MailAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == userId);
    }
}
