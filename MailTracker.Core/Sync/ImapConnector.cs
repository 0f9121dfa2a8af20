using MailKit.Net.Imap;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Sync;

/// <summary>Opens a signed-in IMAP session with MailKit, for a stored mailbox or for settings being tested.</summary>
public sealed class ImapConnector(IOptions<SyncOptions> options, MailboxSecrets secrets)
{
    public Task<ImapClient> ConnectAsync(MailAccount account, CancellationToken cancellationToken)
    {
        if (!account.SyncsOverImap)
        {
            throw new InvalidOperationException($"Mailbox {account.Id} has no IMAP settings.");
        }

        return ConnectAsync(account.ImapHost, account.ImapPort, account.ImapSecurity, account.ImapUsername,
            secrets.Unprotect(account.ImapPasswordProtected!), cancellationToken);
    }

    public async Task<ImapClient> ConnectAsync(string host, int port, MailSecurity security, string username, string password, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(host, port, SmtpMailSender.ToSocketOptions(security), cancellationToken);
            await client.AuthenticateAsync(username, password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
