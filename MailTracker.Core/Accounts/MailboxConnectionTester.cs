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
    public async Task<ConnectionTestResult> TestAsync(MailboxSettings settings, CancellationToken cancellationToken = default)
    {
        var smtp = TestSmtpAsync(settings, cancellationToken);
        var imapResult = TestImapAsync(settings, cancellationToken);
        return new ConnectionTestResult(await smtp, await imapResult);
    }

    private async Task<MailConnectionProblem?> TestSmtpAsync(MailboxSettings settings, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.SmtpHost.Trim(), settings.SmtpPort, SmtpMailSender.ToSocketOptions(settings.SmtpSecurity), cancellationToken);
            if (!string.IsNullOrEmpty(settings.SmtpPassword))
            {
                if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
                {
                    return new MailConnectionProblem(MailConnectionProblemKind.NotOffered, "The SMTP server offers no sign-in (AUTH) on this connection.");
                }

                await client.AuthenticateAsync(settings.EffectiveSmtpUsername, settings.SmtpPassword, cancellationToken);
            }

            await client.DisconnectAsync(true, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return MailConnectionProblem.From(ex);
        }
    }

    private async Task<MailConnectionProblem?> TestImapAsync(MailboxSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            using var client = await imap.ConnectAsync(settings.ImapHost.Trim(), settings.ImapPort, settings.ImapSecurity,
                settings.EffectiveImapUsername, settings.ImapPassword, cancellationToken);
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
