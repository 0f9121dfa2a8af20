using System.Collections.Concurrent;
using MailTracker.Core.Data;
using MailTracker.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// The tracking promise under kill -9: every answered hit is in the events after a restart, and none twice, whether
/// the process dies while hits are being appended to the intake or while a projection batch is being written.
/// </summary>
public sealed class TrackingDurabilityTests : IDisposable
{
    private const int Workers = 32;
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-kill-").FullName;

    private string Database => Path.Combine(_folder, "durable.db");

    private string Intake => Path.Combine(_folder, "durable.intake.db");

    [Fact]
    public async Task KilledWhileHitsPourInEveryAnsweredHitIsProjectedOnceAfterTheRestart()
    {
        var tokens = await SeedAsync();
        var settings = Settings();
        var answered = new ConcurrentDictionary<long, int>();
        await using (var app = await AppProcess.StartAsync(settings))
        {
            using var flood = Flood(app, tokens, answered);
            await Eventually.TrueAsync(() => Task.FromResult(answered.Values.Sum() >= 2000), "2000 answered hits", TimeSpan.FromSeconds(60));

            await app.KillAsync(); // mid-flood, without warning
            await flood.StopAsync();
        }

        // What the dead process left: events already projected, and committed hits after the cursor. Exactly these must
        // be the events after the restart: none lost, none projected twice.
        var projectedAtTheKill = (await EventsByMessageAsync()).Values.Sum();
        var pendingAtTheKill = await BacklogAsync();
        await using (await AppProcess.StartAsync(settings))
        {
            await WaitUntilProjectedAsync();
            var recorded = await EventsByMessageAsync();
            Assert.Equal(projectedAtTheKill + pendingAtTheKill, recorded.Values.Sum());
            foreach (var (messageId, _) in tokens)
            {
                var acked = answered.GetValueOrDefault(messageId);
                Assert.True(recorded.GetValueOrDefault(messageId) >= acked, $"message {messageId}: {acked} hits answered, {recorded.GetValueOrDefault(messageId)} recorded");
            }

            // Requests still open at the kill may have been committed without an answer: at most one per worker.
            Assert.InRange(recorded.Values.Sum(), answered.Values.Sum(), answered.Values.Sum() + Workers);
            await AssertSummariesMatchEventsAsync();
        }
    }

    [Fact]
    public async Task KilledInTheMiddleOfProjectingTheBacklogIsProjectedExactlyOnceAfterTheRestart()
    {
        var tokens = await SeedAsync();
        // Small projection batches, so a backlog builds up under the flood and is still being worked off at the kill.
        var settings = Settings(("Tracking:ProjectionBatchSize", "20"));
        var answered = new ConcurrentDictionary<long, int>();
        await using (var app = await AppProcess.StartAsync(settings))
        {
            using (var flood = Flood(app, tokens, answered))
            {
                await Eventually.TrueAsync(async () => await BacklogAsync() >= 1500, "a backlog of 1500 hits", TimeSpan.FromSeconds(60));
                await flood.StopAsync(); // every request has its answer now: nothing is in flight
            }

            var before = await BacklogAsync();
            await Eventually.TrueAsync(async () => await BacklogAsync() < before, "the projector to be working off the backlog");
            await app.KillAsync();
        }

        Assert.True(await BacklogAsync() > 0, "the kill should have come before the projection caught up");
        await using (await AppProcess.StartAsync(settings))
        {
            await WaitUntilProjectedAsync();
            var recorded = await EventsByMessageAsync();
            foreach (var (messageId, _) in tokens)
            {
                Assert.Equal(answered.GetValueOrDefault(messageId), recorded.GetValueOrDefault(messageId));
            }

            await AssertSummariesMatchEventsAsync();
        }
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Database}",
            ["Sandbox:Enabled"] = "false",
            ["Tracking:RecordLimitPerMinutePerIp"] = "0",
            ["Tracking:Verdicts:MinDeliverySeconds"] = "0",
            ["Tracking:Verdicts:SettleWindowSeconds"] = "1",
            ["Tracking:Verdicts:BurstWindowSeconds"] = "1",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<List<(long MessageId, string Token)>> SeedAsync()
    {
        var tokens = new List<(long MessageId, string Token)>();
        await using var seed = new MailTrackerApp();
        seed.Set("Database:ConnectionString", $"Data Source={Database}");
        var sender = await seed.CreateUserAsync("durable@example.com");
        for (var i = 0; i < 8; i++)
        {
            var mail = await TestMail.SendAsync(seed, sender, subject: $"Durable {i}");
            tokens.Add((mail.MessageId, mail.OpenToken!));
        }

        return tokens;
    }

    private static RunningFlood Flood(AppProcess app, List<(long MessageId, string Token)> tokens, ConcurrentDictionary<long, int> answered)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)");
        var stop = new CancellationTokenSource();

        async Task WorkAsync(int worker)
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var (messageId, token) = tokens[random.Next(tokens.Count)];
                try
                {
                    using var response = await client.GetAsync($"/t/o/{token}.gif", CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.AddOrUpdate(messageId, 1, (_, n) => n + 1);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    return; // the app is gone
                }
            }
        }

        return new RunningFlood(client, stop, Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w))).ToList());
    }

    private async Task<long> BacklogAsync()
    {
        long cursor;
        await using (var main = new SqliteConnection($"Data Source={Database}"))
        {
            await main.OpenAsync();
            await using var command = main.CreateCommand();
            command.CommandText = "SELECT \"Position\" FROM \"ProjectionCursors\" WHERE \"Name\" = 'tracking'";
            cursor = (long)(await command.ExecuteScalarAsync())!;
        }

        await using var intake = new SqliteConnection($"Data Source={Intake}");
        await intake.OpenAsync();
        await using var count = intake.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM \"TrackingIntake\" WHERE \"Position\" > @cursor";
        count.Parameters.AddWithValue("@cursor", cursor);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private Task WaitUntilProjectedAsync() =>
        Eventually.TrueAsync(async () =>
        {
            if (await BacklogAsync() != 0)
            {
                return false;
            }

            await using var db = Db();
            return !await db.TrackingEvents.AnyAsync(e => !e.Settled);
        }, "the restarted app to project the intake and settle its verdicts", TimeSpan.FromSeconds(60));

    private MailTrackerDbContext Db() => new(new DbContextOptionsBuilder<MailTrackerDbContext>().UseSqlite($"Data Source={Database}").Options);

    private async Task<Dictionary<long, int>> EventsByMessageAsync()
    {
        await using var db = Db();
        return await db.TrackingEvents.GroupBy(e => e.MessageId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
    }

    private async Task AssertSummariesMatchEventsAsync()
    {
        await using var db = Db();
        foreach (var message in await db.Messages.Where(m => m.IsTracked).ToListAsync())
        {
            Assert.Equal(await db.TrackingEvents.CountAsync(e => e.MessageId == message.Id && e.Counted && e.Kind == Core.Tracking.TrackingKind.Open), message.OpenCount);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class RunningFlood(HttpClient client, CancellationTokenSource stop, List<Task> workers) : IDisposable
    {
        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        public void Dispose()
        {
            stop.Cancel();
            client.Dispose();
            stop.Dispose();
        }
    }
}
