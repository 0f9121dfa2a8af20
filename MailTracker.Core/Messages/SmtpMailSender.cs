using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailTracker.Core.Accounts;
using MailTracker.Core.Sandbox;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailTracker.Core.Messages;

/// <summary>The outcome of one SMTP attempt, in words the sender can act on.</summary>
public sealed record SendResult(bool Succeeded, bool Permanent, string? Reason)
{
    public static readonly SendResult Ok = new(true, false, null);

    /// <summary>The mailbox's OAuth sign-in stopped working: the mail waits, unattempted, until the user reconnects.</summary>
    public bool AwaitsReconnect { get; private init; }

    public static SendResult Reconnect(string reason) => new(false, false, reason) { AwaitsReconnect = true };

    public static SendResult Transient(string reason) => new(false, false, reason);

    public static SendResult Failed(string reason) => new(false, true, reason);
}

/// <summary>Sends a MIME message through a mail account's SMTP server with MailKit and classifies failures.</summary>
public sealed class SmtpMailSender(IOptions<SandboxOptions> sandbox, IOptions<OutboxOptions> outbox, MailboxCredentials credentials)
{
    public async Task<SendResult> SendAsync(MailAccount account, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = outbox.Value.SmtpTimeoutSeconds * 1000 };
        try
        {
            var (host, port, security) = account.IsSandbox
                ? (sandbox.Value.Host, sandbox.Value.Port, MailSecurity.None)
                : (account.SmtpHost, account.SmtpPort, account.SmtpSecurity);
            await client.ConnectAsync(host, port, ToSocketOptions(security), cancellationToken);
            if (!account.IsSandbox)
            {
                await credentials.SignInAsync(client, account, MailProtocol.Smtp, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return SendResult.Ok;
        }
        catch (MailboxReconnectRequiredException ex)
        {
            return SendResult.Reconnect($"Reconnect the mailbox: the provider no longer accepts its sign-in ({ex.Message}).");
        }
        catch (MailboxTokenUnavailableException ex)
        {
            return SendResult.Transient(ex.Message);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return SendResult.Failed(Describe(ex));
        }
        catch (SmtpCommandException ex)
        {
            return SendResult.Transient(Describe(ex));
        }
        catch (AuthenticationException ex)
        {
            return SendResult.Failed($"The SMTP server rejected the user name or password: {ex.Message}");
        }
        catch (SslHandshakeException ex)
        {
            return SendResult.Failed($"A secure connection to the SMTP server could not be made: {ex.Message}");
        }
        catch (SocketException ex)
        {
            return SendResult.Transient($"The SMTP server could not be reached: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SendResult.Transient($"The connection to the SMTP server failed: {ex.Message}");
        }
    }

    public static SecureSocketOptions ToSocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.SslTls => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    private static string Describe(SmtpCommandException ex)
    {
        var who = ex.Mailbox is null ? "" : $" ({ex.Mailbox.Address})";
        return $"{(int)ex.StatusCode} {ex.Message.Trim()}{who}";
    }
}
