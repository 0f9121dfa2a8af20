using MailKit.Net.Imap;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Sync;

/// <summary>Opens a signed-in IMAP session with MailKit, for a stored mailbox or for settings being tested.</summary>
public sealed class ImapConnector(IOptions<SyncOptions> options, MailboxCredentials credentials)
{
    public async Task<ImapClient> ConnectAsync(MailAccount account, CancellationToken cancellationToken)
    {
        if (!account.SyncsOverImap)
        {
            throw new InvalidOperationException($"Mailbox {account.Id} has no IMAP settings.");
        }

        var client = await OpenAsync(account.ImapHost, account.ImapPort, account.ImapSecurity, cancellationToken);
        try
        {
            await credentials.SignInAsync(client, account, MailProtocol.Imap, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task<ImapClient> ConnectAsync(string host, int port, MailSecurity security, string username, string password, CancellationToken cancellationToken) =>
        ConnectAsync(host, port, security, new PasswordLogin(username, password), cancellationToken);

    public async Task<ImapClient> ConnectAsync(string host, int port, MailSecurity security, MailboxLogin login, CancellationToken cancellationToken)
    {
        var client = await OpenAsync(host, port, security, cancellationToken);
        try
        {
            await login.SignInAsync(client, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<ImapClient> OpenAsync(string host, int port, MailSecurity security, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(host, port, SmtpMailSender.ToSocketOptions(security), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
