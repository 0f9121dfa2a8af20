using MailKit;
using MailKit.Net.Smtp;
using MailTracker.Core.Messages;
using MailTracker.Core.Sync;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Accounts;

/// <summary>Both halves of a connection test; a null side worked.</summary>
public sealed record ConnectionTestResult(MailConnectionProblem? Smtp, MailConnectionProblem? Imap)
{
    public bool Succeeded => Smtp is null && Imap is null;
}

/// <summary>
/// Tries settings the way sending and sync will use them: SMTP connect (+ sign-in when a password is given), and IMAP
/// connect, sign-in and opening the inbox. Both sides are always tried, so the user learns everything at once.
/// </summary>
public sealed class MailboxConnectionTester(ImapConnector imap, IOptions<SyncOptions> options)
{
    public Task<ConnectionTestResult> TestAsync(MailboxSettings settings, CancellationToken cancellationToken = default) =>
        TestAsync(settings,
            new PasswordLogin(settings.EffectiveImapUsername, settings.ImapPassword),
            string.IsNullOrEmpty(settings.SmtpPassword) ? null : new PasswordLogin(settings.EffectiveSmtpUsername, settings.SmtpPassword),
            cancellationToken);

    /// <summary>Tests the servers in <paramref name="settings"/> (passwords there are ignored) with the given sign-ins; no SMTP sign-in for a relay.</summary>
    public async Task<ConnectionTestResult> TestAsync(MailboxSettings settings, MailboxLogin imapLogin, MailboxLogin? smtpLogin, CancellationToken cancellationToken = default)
    {
        var smtp = TestSmtpAsync(settings, smtpLogin, cancellationToken);
        var imapResult = TestImapAsync(settings, imapLogin, cancellationToken);
        return new ConnectionTestResult(await smtp, await imapResult);
    }

    private async Task<MailConnectionProblem?> TestSmtpAsync(MailboxSettings settings, MailboxLogin? login, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.SmtpHost.Trim(), settings.SmtpPort, SmtpMailSender.ToSocketOptions(settings.SmtpSecurity), cancellationToken);
            if (login is not null)
            {
                if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
                {
                    return new MailConnectionProblem(MailConnectionProblemKind.NotOffered, "The SMTP server offers no sign-in (AUTH) on this connection.");
                }

                await login.SignInAsync(client, cancellationToken);
            }

            await client.DisconnectAsync(true, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return MailConnectionProblem.From(ex);
        }
    }

    private async Task<MailConnectionProblem?> TestImapAsync(MailboxSettings settings, MailboxLogin login, CancellationToken cancellationToken)
    {
        try
        {
            using var client = await imap.ConnectAsync(settings.ImapHost.Trim(), settings.ImapPort, settings.ImapSecurity, login, cancellationToken);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return MailConnectionProblem.From(ex);
        }
    }
}
