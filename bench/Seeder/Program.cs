// Seeds a fresh MailTracker database for the benchmarks: one user, and N sent messages, a quarter of them (or all,
// with --all-tracked) tracked, some opened and clicked. Writes the open and click tokens to files for wrk.
// With --events, tracked mail also gets tracking events: a counted open per opened message, and uncounted automated
// hits (an Apple MPP prefetch on a third of the tracked mail, a scanner's click on a fifth) for Insights' automated share.
// usage: Seeder <database file | PostgreSQL connection string "Host=..."> <messages> <out folder> [--all-tracked] [--events]
using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

var database = args[0];
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var output = args[2];
var allTracked = args.Contains("--all-tracked");
var withEvents = args.Contains("--events");
Directory.CreateDirectory(output);

var services = new ServiceCollection()
    .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
    .BuildServiceProvider();
var postgres = database.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);
var builder = new DbContextOptionsBuilder<MailTrackerDbContext>();
var options = (postgres ? builder.UseNpgsql(database) : builder.UseSqlite($"Data Source={database}"))
    .UseApplicationServiceProvider(services)
    .Options;

if (postgres)
{
    await using var migrations = new PostgreSqlMigrationContext(PostgreSqlMigrationContext.Options(database));
    await migrations.Database.MigrateAsync();
}

await using (var db = new MailTrackerDbContext(options))
{
    if (!postgres)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.MigrateAsync();
    }

    if (!await db.Workspaces.AnyAsync())
    {
        db.Workspaces.Add(new Workspace());
    }

    var user = new AppUser
    {
        UserName = "bench@example.com", NormalizedUserName = "BENCH@EXAMPLE.COM", Email = "bench@example.com",
        NormalizedEmail = "BENCH@EXAMPLE.COM", DisplayName = "Bench", SecurityStamp = Guid.NewGuid().ToString(),
        PasswordHash = new PasswordHasher<AppUser>().HashPassword(null!, "Passw0rd!"), EmailConfirmed = true,
    };
    db.Users.Add(user);
    db.MailAccounts.Add(new MailAccount { OwnerId = user.Id, EmailAddress = user.Email, IsSandbox = true });
    await db.SaveChangesAsync();
}

var random = new Random(42);
var opens = new List<string>();
var clicks = new List<string>();
var start = DateTime.UtcNow.AddDays(-365);
const int Batch = 2000;
for (var done = 0; done < count; done += Batch)
{
    await using var db = new MailTrackerDbContext(options);
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    var userId = await db.Users.Select(u => u.Id).SingleAsync();
    var accountId = await db.MailAccounts.Select(a => a.Id).SingleAsync();
    await using var transaction = await db.Database.BeginTransactionAsync();
    var batch = new List<(Message Message, bool Tracked, int Opens, int Clicks)>();
    for (var i = done; i < Math.Min(count, done + Batch); i++)
    {
        var tracked = allTracked || i % 4 == 0;
        var contact = $"contact{i % 5000}@example.com";
        // Realistic sizes: a few kilobytes of HTML (a quoted thread, a signature), not a one-liner.
        var html = $"<p>Hello {i}, here is <a href=\"https://example.com/pricing/{i}\">our pricing</a> and some more text about offer {i}.</p>" + Filler;
        var message = Message.Queue(new OutgoingMail
        {
            OwnerId = userId, MailAccountId = accountId, FromAddress = "bench@example.com", FromName = "Bench",
            To = $"Contact {i % 5000} <{contact}>", Subject = $"Offer {i} for {(i % 7 == 0 ? "Acme" : "Globex")}",
            HtmlBody = html, TextBody = MailTracker.Core.Messages.HtmlToText.Convert(html),
            OpenTracking = tracked, LinkTracking = tracked, MessageIdHeader = $"bench-{i}@example.com",
        }, start.AddMinutes(i * 5.0 * 10_000 / count));
        message.MarkSent(start.AddMinutes(i * 5.0 * 10_000 / count));
        db.Messages.Add(message);
        batch.Add((message, tracked, tracked && random.Next(3) == 0 ? random.Next(1, 6) : 0, tracked && random.Next(8) == 0 ? random.Next(1, 3) : 0));
    }

    await db.SaveChangesAsync();
    foreach (var (message, tracked, _, _) in batch.Where(b => b.Tracked))
    {
        var open = TrackingTokenFormat.NewToken();
        var link = new TrackedLink { MessageId = message.Id, Ordinal = 0, Url = $"https://example.com/pricing/{message.Id}" };
        var click = TrackingTokenFormat.NewToken();
        db.TrackedLinks.Add(link);
        db.TrackingTokens.Add(new TrackingToken { Token = open, Kind = TrackingKind.Open, MessageId = message.Id });
        db.TrackingTokens.Add(new TrackingToken { Token = click, Kind = TrackingKind.Click, MessageId = message.Id, TrackedLink = link });
        opens.Add(open);
        clicks.Add(click);
    }

    await db.SaveChangesAsync();

    // Some history: opened and clicked messages, as the summary columns the list filters on.
    foreach (var (message, _, opened, clicked) in batch.Where(b => b.Opens > 0 || b.Clicks > 0))
    {
        var at = message.Date.AddHours(2);
        await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.OpenCount, opened).SetProperty(m => m.FirstOpenedAt, opened > 0 ? at : null).SetProperty(m => m.LastOpenedAt, opened > 0 ? at.AddHours(1) : null)
            .SetProperty(m => m.ClickCount, clicked).SetProperty(m => m.FirstClickedAt, clicked > 0 ? at : null).SetProperty(m => m.LastClickedAt, clicked > 0 ? at : null));
    }

    if (withEvents)
    {
        foreach (var (message, _, opened, clicked) in batch.Where(b => b.Tracked))
        {
            if (opened > 0)
            {
                db.TrackingEvents.Add(new TrackingEvent { MessageId = message.Id, Kind = TrackingKind.Open, OccurredAt = message.Date.AddHours(2), Verdict = Verdict.Human, Counted = true, UserAgent = "Mozilla/5.0 Thunderbird/128.0", IpAddress = "192.0.2.0" });
            }

            if (message.Id % 3 == 0)
            {
                db.TrackingEvents.Add(new TrackingEvent { MessageId = message.Id, Kind = TrackingKind.Open, OccurredAt = message.Date.AddSeconds(1), Verdict = Verdict.PrivacyProxy, Counted = false, UserAgent = "Mozilla/5.0", IpAddress = "17.58.0.0" });
            }

            if (message.Id % 5 == 0)
            {
                db.TrackingEvents.Add(new TrackingEvent { MessageId = message.Id, Kind = TrackingKind.Click, OccurredAt = message.Date.AddSeconds(2), Verdict = Verdict.Scanner, Counted = false, UserAgent = "curl/8", IpAddress = "198.51.100.0" });
            }
        }

        await db.SaveChangesAsync();
    }

    await transaction.CommitAsync();
}

await File.WriteAllLinesAsync(Path.Combine(output, "opens.txt"), opens);

await File.WriteAllLinesAsync(Path.Combine(output, "clicks.txt"), clicks);
Console.WriteLine($"Seeded {count} messages ({opens.Count} tracked) into {(postgres ? "PostgreSQL" : database)}");

internal static partial class Program
{
    private static readonly string Filler = string.Concat(Enumerable.Range(0, 40).Select(n =>
        $"<p style=\"margin:0 0 8px;font-family:Arial,sans-serif;color:#333\">Paragraph {n} of the thread: we discussed the rollout plan, the seats, the onboarding sessions and the invoice schedule for next quarter.</p>"));
}
