using System.Collections.Concurrent;
using MailTracker.Core.Data;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

public sealed class TrackingDurabilityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-kill-").FullName;

    [Fact]
    public async Task EveryAcknowledgedHitSurvivesKillMinus9()
    {
        var database = Path.Combine(_folder, "durable.db");
        var tokens = new List<(long MessageId, string Token)>();
        await using (var seed = new MailTrackerApp())
        {
            seed.Set("Database:ConnectionString", $"Data Source={database}");
            var sender = await seed.CreateUserAsync("durable@example.com");
            for (var i = 0; i < 8; i++)
            {
                var mail = await TestMail.SendAsync(seed, sender, subject: $"Durable {i}");
                tokens.Add((mail.MessageId, mail.OpenToken!));
            }
        }

        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={database}",
            ["Sandbox:Enabled"] = "false",
            ["Tracking:RecordLimitPerMinutePerIp"] = "0",
            ["Tracking:PrefetchWindowSeconds"] = "0",
        };
        var acknowledged = new ConcurrentDictionary<long, int>();
        await using (var app = await AppProcess.StartAsync(settings))
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)");
            using var stop = new CancellationTokenSource();
            var total = 0;

            async Task FloodAsync(int worker)
            {
                var random = new Random(worker);
                while (!stop.IsCancellationRequested)
                {
                    var (messageId, token) = tokens[random.Next(tokens.Count)];
                    try
                    {
                        using var response = await client.GetAsync($"/t/o/{token}.gif", stop.Token);
                        await response.Content.ReadAsByteArrayAsync(stop.Token);
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged.AddOrUpdate(messageId, 1, (_, n) => n + 1);
                            Interlocked.Increment(ref total);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return;
                    }
                }
            }

            var flood = Enumerable.Range(0, 32).Select(FloodAsync).ToList();
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref total) >= 2000), "2000 acknowledged hits", TimeSpan.FromSeconds(60));

            // Mid-flood, without warning.
            await app.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(flood);
        }

        // Restart on the same database, then look.
        await using (var restarted = await AppProcess.StartAsync(settings))
        {
            await using var db = new MailTrackerDbContext(new DbContextOptionsBuilder<MailTrackerDbContext>().UseSqlite($"Data Source={database}").Options);
            foreach (var (messageId, _) in tokens)
            {
                var recorded = await db.TrackingEvents.CountAsync(e => e.MessageId == messageId);
                var counted = await db.TrackingEvents.CountAsync(e => e.MessageId == messageId && e.Counted);
                var summary = (await db.Messages.SingleAsync(m => m.Id == messageId)).OpenCount;
                var acked = acknowledged.GetValueOrDefault(messageId);

                Assert.True(recorded >= acked, $"message {messageId}: {acked} hits were acknowledged but only {recorded} recorded");
                Assert.Equal(counted, summary);
            }

            Assert.True(acknowledged.Values.Sum() >= 2000);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
