using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MailTracker.Tests.Infrastructure;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedHook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith)
{
    public string Event => Headers.GetValueOrDefault("X-MailTracker-Event") ?? "";

    public string DeliveryId => Headers.GetValueOrDefault("X-MailTracker-Delivery") ?? "";

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Checks the signature as an integrator would, from the README's recipe: HMAC-SHA256 of "timestamp.body".</summary>
    public bool SignatureValid(string secret)
    {
        var timestamp = Headers.GetValueOrDefault("X-MailTracker-Timestamp");
        var signature = Headers.GetValueOrDefault("X-MailTracker-Signature");
        if (timestamp is null || signature is null)
        {
            return false;
        }

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{Body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>
/// A real HTTP receiver on loopback (Kestrel) that integrators' code would be: it records every request and answers
/// with the status <see cref="Answer"/> chooses (200 unless told otherwise). Path <c>/moved</c> redirects to
/// <see cref="RedirectTo"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public int Port { get; private init; }

    public string Url(string path = "/hooks") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>The status for the n-th request (0-based); 200 by default.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    public string? RedirectTo { get; set; }

    public IReadOnlyList<ReceivedHook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var chosen = port ?? FreePort.Next();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, chosen));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { Port = chosen };
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var n = Interlocked.Increment(ref count) - 1;
            var status = context.Request.Path == "/moved" ? 302 : receiver.Answer(n);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver._received.Enqueue(new ReceivedHook(context.Request.Path, headers, body, status));
            context.Response.StatusCode = status;
            if (status == 302)
            {
                context.Response.Headers.Location = receiver.RedirectTo;
            }
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests answered 2xx have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedHook>> AcceptedAsync(int count, string? what = null)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Received.Count(r => r.AnsweredWith is >= 200 and < 300) >= count), what ?? $"{count} accepted webhook deliveries");
        return Received.Where(r => r.AnsweredWith is >= 200 and < 300).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
