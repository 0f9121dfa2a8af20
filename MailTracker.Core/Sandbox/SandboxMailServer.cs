using System.Buffers;
using System.Net;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MailTracker.Core.Sandbox;

/// <summary>
/// The built-in local mail server (the <c>SmtpServer</c> package), listening on loopback only. Everything it
/// accepts is stored as a <see cref="SandboxDelivery"/> and shown at <c>/sandbox</c>; nothing is relayed.
/// </summary>
public sealed partial class SandboxMailServer(
    IOptions<SandboxOptions> options,
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    TimeProvider time,
    ILogger<SandboxMailServer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var address = IPAddress.Parse(settings.Host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException("Sandbox:Host must be a loopback address; the sandbox never accepts mail from other machines.");
        }

        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName("mailtracker-sandbox")
            .MaxMessageSize(25 * 1024 * 1024)
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(address, settings.Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new DeliveryStore(this));
        services.Add(new RecipientFilter(settings));

        var server = new SmtpServer.SmtpServer(serverOptions, services);
        LogListening(settings.Host, settings.Port);
        try
        {
            await server.StartAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // The rest of the app is still useful (and real mailboxes work); say what to change.
            LogCannotListen(ex, settings.Host, settings.Port);
        }
    }

    private async Task<SmtpResponse> SaveAsync(IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var raw = buffer.ToArray();
        using var stream = new MemoryStream(raw);
        var mime = await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken);
        var from = transaction.From is { } f ? $"{f.User}@{f.Host}" : "";
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // Mail sent by MailTracker is matched to its sender by Message-ID; anything else by the sender's address.
        var messageId = mime.MessageId ?? "";
        var senderUserId = await db.Messages.Where(m => m.MessageIdHeader == messageId && messageId != "")
            .Select(m => m.OwnerId).FirstOrDefaultAsync(cancellationToken);
        senderUserId ??= await db.MailAccounts.Where(a => a.EmailAddress.ToLower() == from.ToLower())
            .Select(a => a.OwnerId).FirstOrDefaultAsync(cancellationToken);

        db.SandboxDeliveries.Add(new SandboxDelivery
        {
            ReceivedAt = time.GetUtcNow().UtcDateTime,
            EnvelopeFrom = from,
            EnvelopeTo = string.Join(", ", transaction.To.Select(t => $"{t.User}@{t.Host}")),
            Subject = mime.Subject ?? "",
            SenderUserId = senderUserId,
            Raw = raw,
        });
        await db.SaveChangesAsync(cancellationToken);
        return SmtpResponse.Ok;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The sandbox mail server cannot listen on {Host}:{Port} (is another program using the port?). Set Sandbox:Port to a free port, or Sandbox:Enabled to false")]
    private partial void LogCannotListen(Exception exception, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox mail server listening on {Host}:{Port}")]
    private partial void LogListening(string host, int port);

    private sealed class DeliveryStore(SandboxMailServer server) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken) =>
            server.SaveAsync(transaction, buffer, cancellationToken);
    }

    /// <summary>Lets people try failures: a reject domain answers 550, a defer domain 451.</summary>
    private sealed class RecipientFilter(SandboxOptions settings) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            if (string.Equals(to.Host, settings.DeferDomain, StringComparison.OrdinalIgnoreCase))
            {
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)451, "4.3.0 Mailbox temporarily unavailable, try again later"));
            }

            return Task.FromResult(!string.Equals(to.Host, settings.RejectDomain, StringComparison.OrdinalIgnoreCase));
        }
    }
}
