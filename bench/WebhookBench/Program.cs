// Webhook delivery benchmark (issue 16): how soon and how fast signed deliveries reach a real receiver on loopback,
// against a baseline measured in the same run: the same signed bodies POSTed straight to the same receiver.
// usage: WebhookBench setup <database file> <receiver port> <secret file>
//        WebhookBench run <database file> <app url> <receiver port> <secret file> <opens file> <hits>
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailTracker.Core.Data;
using MailTracker.Core.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

const int Concurrency = 8;
var database = args[1];
var services = new ServiceCollection()
    .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
    .AddLogging();
services.AddDbContext<MailTrackerDbContext>(o => o.UseSqlite($"Data Source={database}"));
services.AddDataProtection().SetApplicationName("MailTracker").PersistKeysToDbContext<MailTrackerDbContext>();
await using var provider = services.BuildServiceProvider();

if (args[0] == "setup")
{
    // The endpoint an admin would add in Settings › Integrations; the secret is protected with the app's own key ring.
    var secret = WebhookSignature.NewSecret();
    await using var scope = provider.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<MailTrackerDbContext>();
    db.WebhookEndpoints.Add(new WebhookEndpoint
    {
        OwnerId = await db.Users.Select(u => u.Id).FirstAsync(),
        Url = $"http://127.0.0.1:{args[2]}/hooks",
        Events = WebhookEvents.All,
        ProtectedSecret = new WebhookSecrets(provider.GetRequiredService<IDataProtectionProvider>()).Protect(secret),
        CreatedAt = DateTime.UtcNow,
    });
    await db.SaveChangesAsync();
    await File.WriteAllTextAsync(args[3], secret);
    return 0;
}

var appUrl = args[2];
var port = int.Parse(args[3], CultureInfo.InvariantCulture);
var key = await File.ReadAllTextAsync(args[4]);
var tokens = (await File.ReadAllLinesAsync(args[5])).Where(t => t.Length > 0).ToList();
var hits = Math.Min(int.Parse(args[6], CultureInfo.InvariantCulture), tokens.Count);
Dictionary<string, long> messageOf;
await using (var scope = provider.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<MailTrackerDbContext>();
    messageOf = await db.TrackingTokens.Where(t => t.Kind == MailTracker.Core.Tracking.TrackingKind.Open).ToDictionaryAsync(t => t.Token, t => t.MessageId);
}

// The receiver: records when each delivery arrived, and whether its signature verifies.
var clock = Stopwatch.StartNew();
var arrivals = new ConcurrentQueue<(string Event, long MessageId, string Delivery, double At, bool Valid, DateTime Utc)>();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
await using var receiver = builder.Build();
receiver.Run(async context =>
{
    using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
    var body = await reader.ReadToEndAsync();
    var at = clock.Elapsed.TotalMilliseconds;
    var stamp = context.Request.Headers["X-MailTracker-Timestamp"].ToString();
    var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{stamp}.{body}")));
    var valid = expected == context.Request.Headers["X-MailTracker-Signature"].ToString();
    using var json = JsonDocument.Parse(body);
    arrivals.Enqueue((context.Request.Headers["X-MailTracker-Event"].ToString(), json.RootElement.GetProperty("messageId").GetInt64(),
        context.Request.Headers["X-MailTracker-Delivery"].ToString(), at, valid, DateTime.UtcNow));
    context.Response.StatusCode = 204;
});
await receiver.StartAsync();

// Baseline: the same kind of signed body POSTed straight to the receiver, as many and as parallel as the dispatcher's.
using var direct = new HttpClient();
var baseline = new ConcurrentBag<double>();
var sample = JsonSerializer.Serialize(new
{
    id = Guid.NewGuid().ToString(), type = "message.opened", time = DateTime.UtcNow, messageId = 1, subject = "Bench message", from = "bench@example.com",
    recipient = "bob@example.com", verdict = "human", counted = true, reason = "a desktop mail client",
});
var baseStart = clock.Elapsed.TotalMilliseconds;
await Parallel.ForEachAsync(Enumerable.Range(0, hits), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
{
    var started = clock.Elapsed.TotalMilliseconds;
    var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/hooks") { Content = new StringContent(sample, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-MailTracker-Event", "baseline");
    request.Headers.Add("X-MailTracker-Timestamp", stamp.ToString(CultureInfo.InvariantCulture));
    request.Headers.Add("X-MailTracker-Signature", WebhookSignature.Sign(key, stamp, Encoding.UTF8.GetBytes(sample)));
    using var response = await direct.SendAsync(request, ct);
    baseline.Add(clock.Elapsed.TotalMilliseconds - started);
});
var baseSeconds = (clock.Elapsed.TotalMilliseconds - baseStart) / 1000;

// The product path: a recipient's mail client fetches the pixel of each of N messages; the app judges each open,
// projects it and queues its delivery in the same transaction; the dispatcher signs and sends it.
var answered = new ConcurrentDictionary<long, double>();
using var recipient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(appUrl) };
recipient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0");
var floodStart = clock.Elapsed.TotalMilliseconds;
await Parallel.ForEachAsync(tokens.Take(hits).Select((t, i) => (t, i)), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (x, ct) =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"/t/o/{x.t}.gif");
    // Each recipient from an address of their own (the app trusts 127.0.0.1 as its proxy in this run).
    request.Headers.Add("X-Forwarded-For", $"81.{2 + x.i / 65536 % 200}.{x.i / 256 % 256}.{x.i % 256}");
    using var response = await recipient.SendAsync(request, ct);
    response.EnsureSuccessStatusCode();
    answered[messageOf[x.t]] = clock.Elapsed.TotalMilliseconds;
});

var deadline = clock.Elapsed + TimeSpan.FromSeconds(180);
while (arrivals.Count(a => a.Event == "message.opened") < hits && clock.Elapsed < deadline)
{
    await Task.Delay(50);
}

var opened = arrivals.Where(a => a.Event == "message.opened").ToList();
var latencies = opened.Where(a => answered.ContainsKey(a.MessageId)).Select(a => a.At - answered[a.MessageId]).Order().ToList();
var hookSeconds = opened.Count == 0 ? double.NaN : (opened.Max(a => a.At) - floodStart) / 1000;
// The dispatcher's own part: from the delivery row's commit (with the projection) to the receiver, and its rate.
Dictionary<string, DateTime> queuedAt;
await using (var scope = provider.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<MailTrackerDbContext>();
    queuedAt = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EventType == "message.opened").ToDictionaryAsync(d => d.EventId, d => d.CreatedAt);
}

var dispatch = opened.Where(o => queuedAt.ContainsKey(o.Delivery)).Select(o => (o.Utc - queuedAt[o.Delivery]).TotalMilliseconds).Order().ToList();
var firstQueued = queuedAt.Values.DefaultIfEmpty().Min();
var dispatchRate = opened.Count / Math.Max(0.001, (opened.Max(o => o.Utc) - firstQueued).TotalSeconds);
static double P(IReadOnlyList<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
var baseSorted = baseline.Order().ToList();
var baseRate = hits / baseSeconds;
var hookRate = opened.Count / hookSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hits: {hits}  deliveries: {opened.Count}  distinct events: {opened.Select(o => o.Delivery).Distinct().Count()}  signatures valid: {opened.Count(o => o.Valid)}/{opened.Count}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline (direct POST, {Concurrency} parallel): {baseRate:F0} req/s  p50 {P(baseSorted, 0.5):F1} ms  p95 {P(baseSorted, 0.95):F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webhooks (pixel answer → receiver): {hookRate:F0} deliveries/s  p50 {P(latencies, 0.5):F0} ms  p95 {P(latencies, 0.95):F0} ms  max {P(latencies, 1):F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dispatch (queued → receiver): {dispatchRate:F0} deliveries/s  p50 {P(dispatch, 0.5):F0} ms  p95 {P(dispatch, 0.95):F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput ratio webhooks/baseline: end to end {hookRate / baseRate:F3}, dispatch {dispatchRate / baseRate:F3}"));
return opened.Count == hits && opened.All(o => o.Valid) ? 0 : 1;
