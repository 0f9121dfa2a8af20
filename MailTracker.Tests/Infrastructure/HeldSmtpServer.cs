using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port that holds each message after its DATA, without answering, until the
/// test accepts it (250: delivered) or drops it (the sender died before the server said yes): a send caught mid-way.
/// </summary>
public sealed class HeldSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<HeldMessage> _arrivals = Channel.CreateUnbounded<HeldMessage>();
    private readonly ConcurrentQueue<string> _delivered = new();
    private readonly Task _running;

    public HeldSmtpServer()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("held-smtp")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new HoldingStore(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; } = FreePort.Next();

    private int _arrived;

    /// <summary>How many messages have arrived (held, accepted or dropped).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>The Message-IDs of the messages accepted, once each time one was.</summary>
    public IReadOnlyCollection<string> Delivered => _delivered;

    /// <summary>The next message to arrive, held.</summary>
    public async Task<HeldMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        return await _arrivals.Reader.ReadAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private sealed class HoldingStore(HeldSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var mime = await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken);
            var held = new HeldMessage(mime.MessageId ?? "", mime.Subject ?? "");
            Interlocked.Increment(ref server._arrived);
            await server._arrivals.Writer.WriteAsync(held, cancellationToken);
            if (await held.Decision.Task.WaitAsync(cancellationToken))
            {
                server._delivered.Enqueue(held.MessageId);
                return SmtpResponse.Ok;
            }

            return new SmtpResponse(SmtpReplyCode.TransactionFailed, "dropped");
        }
    }
}

/// <summary>A message whose DATA has arrived and whose answer is held.</summary>
public sealed class HeldMessage(string messageId, string subject)
{
    internal TaskCompletionSource<bool> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string MessageId { get; } = messageId;

    public string Subject { get; } = subject;

    public void Accept() => Decision.TrySetResult(true);

    public void Drop() => Decision.TrySetResult(false);
}
