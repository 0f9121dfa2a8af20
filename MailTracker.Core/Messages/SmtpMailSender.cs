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
            await ConnectAsync(client, account, cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return SendResult.Ok;
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>
    /// Sends each copy in an SMTP transaction of its own (MAIL FROM, one RCPT TO, DATA) over one connection, so one
    /// recipient's refusal leaves the others' delivery alone. <paramref name="onResult"/> hears each copy's outcome as it is
    /// known (its index and result), so the caller can store it before the next one is sent. A connection that breaks
    /// is made again once for the copies still to go; if that fails they all get its reason.
    /// </summary>
    public async Task SendEachAsync(
        MailAccount account, IReadOnlyList<(MimeMessage Mime, MailboxAddress Recipient)> copies, Func<int, SendResult, Task> onResult, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = outbox.Value.SmtpTimeoutSeconds * 1000 };
        for (var i = 0; i < copies.Count; i++)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(client, account, cancellationToken);
                }
                catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
                {
                    // The server cannot be reached or signed in to: every copy still to go waits for the same reason.
                    for (; i < copies.Count; i++)
                    {
                        await onResult(i, failure);
                    }

                    return;
                }
            }

            SendResult result;
            try
            {
                var (mime, recipient) = copies[i];
                await client.SendAsync(mime, mime.From.Mailboxes.First(), [recipient], cancellationToken);
                result = SendResult.Ok;
            }
            catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
            {
                result = failure; // a refused RCPT leaves the connection usable (MailKit resets the transaction)
            }

            await onResult(i, result);
        }

        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(true, cancellationToken);
            }
            catch (Exception ex) when (Classify(ex, cancellationToken) is not null)
            {
                // Every copy's outcome is known; a failed QUIT changes none of them.
            }
        }
    }

    private async Task ConnectAsync(SmtpClient client, MailAccount account, CancellationToken cancellationToken)
    {
        var (host, port, security) = account.IsSandbox
            ? (sandbox.Value.Host, sandbox.Value.Port, MailSecurity.None)
            : (account.SmtpHost, account.SmtpPort, account.SmtpSecurity);
        await client.ConnectAsync(host, port, ToSocketOptions(security), cancellationToken);
        if (!account.IsSandbox)
        {
            await credentials.SignInAsync(client, account, MailProtocol.Smtp, cancellationToken);
        }
    }

    /// <summary>An SMTP failure in words the sender can act on; null for what is not an SMTP failure (it is not caught).</summary>
    private static SendResult? Classify(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        MailboxReconnectRequiredException ex => SendResult.Reconnect($"Reconnect the mailbox: the provider no longer accepts its sign-in ({ex.Message})."),
        MailboxTokenUnavailableException ex => SendResult.Transient(ex.Message),
        SmtpCommandException ex when (int)ex.StatusCode >= 500 => SendResult.Failed(Describe(ex)),
        SmtpCommandException ex => SendResult.Transient(Describe(ex)),
        AuthenticationException ex => SendResult.Failed($"The SMTP server rejected the user name or password: {ex.Message}"),
        SslHandshakeException ex => SendResult.Failed($"A secure connection to the SMTP server could not be made: {ex.Message}"),
        SocketException ex => SendResult.Transient($"The SMTP server could not be reached: {ex.Message}"),
        IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException => SendResult.Transient($"The connection to the SMTP server failed: {exception.Message}"),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => SendResult.Transient($"The connection to the SMTP server failed: {exception.Message}"),
        _ => null,
    };

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
