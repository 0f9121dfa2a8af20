using System.Collections.Concurrent;
using System.Net;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// A "remote" web server on a loopback port that serves a 1×1 PNG for any path and counts the requests, so a test can
/// tell whether a mail view fetched a remote image (the way senders learn that mail was opened).
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public ImageServer()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    /// <summary>Requests so far, by path.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public int RequestsFor(string path) => Requests.GetValueOrDefault("/" + path.TrimStart('/'));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Requests.AddOrUpdate(context.Request.Url!.AbsolutePath, 1, (_, n) => n + 1);
            context.Response.ContentType = "image/png";
            context.Response.Headers["Cache-Control"] = "no-store";
            await context.Response.OutputStream.WriteAsync(Png);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
