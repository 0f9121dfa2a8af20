// Initial IMAP sync of many messages from a real Dovecot, against a baseline measured in the same run: a raw MailKit
// SEARCH + FETCH of the very same messages that parses and stores nothing. See bench/sync.sh.
using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MailTracker.Core;
using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using MailTracker.Core.Sync;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using MailFolder = MailTracker.Core.Messages.MailFolder;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var targetSeconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 60;
const string email = "bench@example.com";

await using var dovecot = new DovecotProcess();
await dovecot.StartAsync();
await dovecot.AddUserAsync(email);

var seeding = Stopwatch.StartNew();
var bytes = await SeedAsync(dovecot, email, count);
Console.WriteLine($"seeded {count} messages ({bytes / 1024.0 / 1024.0:F1} MB) into Dovecot in {seeding.Elapsed.TotalSeconds:F1} s");

// Dovecot builds its index and cache on first access; neither side should pay for that, so one untimed pass first.
await RawFetchAsync(dovecot, email);
var baseline = Stopwatch.StartNew();
var fetched = await RawFetchAsync(dovecot, email);
baseline.Stop();
if (fetched != count)
{
    throw new InvalidOperationException($"The baseline fetched {fetched} messages, expected {count}.");
}

var folder = Directory.CreateTempSubdirectory("mailtracker-bench-").FullName;
try
{
    var builder = Host.CreateApplicationBuilder();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "bench.db")}",
        ["Sandbox:Enabled"] = "false",
        ["Sync:Enabled"] = "false", // the benchmark drives one pass itself
    });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.AddMailTrackerCore();
    builder.Services.AddSingleton<IUserPush, NoPush>();
    using var host = builder.Build();
    await host.StartAsync();

    var accountId = await ConnectAsync(host.Services, dovecot, email);
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var sync = Stopwatch.StartNew();
    await host.Services.GetRequiredService<AccountSynchronizer>().SyncOnceAsync(accountId, CancellationToken.None);
    sync.Stop();
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

    await using (var db = await host.Services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync())
    {
        var stored = await db.Messages.CountAsync(m => m.MailAccountId == accountId && m.Folder == MailFolder.Inbox);
        if (stored != count)
        {
            throw new InvalidOperationException($"The sync stored {stored} messages, expected {count}.");
        }
    }

    await host.StopAsync();
    var s = sync.Elapsed.TotalSeconds;
    var b = baseline.Elapsed.TotalSeconds;
    Console.WriteLine($"baseline, raw MailKit SEARCH + FETCH of the same {count} messages (nothing parsed or stored): {b:F2} s");
    Console.WriteLine($"MailTracker initial sync of {count} messages (fetch, parse, sanitise HTML, store in SQLite): {s:F2} s = {count / s:F0} messages/s");
    Console.WriteLine($"  CPU time of the sync in this process: {cpu:F1} s on {Environment.ProcessorCount} cores; load average when it started: {load}");
    Console.WriteLine($"ratio sync / baseline: {s / b:F1}x");
    Console.WriteLine($"target <= {targetSeconds:F0} s: {(s <= targetSeconds ? "met" : "MISSED")}");
    return s <= targetSeconds ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

// A sales inbox: about two thirds HTML newsletters and replies with a text alternative, the rest plain text.
static async Task<long> SeedAsync(DovecotProcess dovecot, string email, int count)
{
    var random = new Random(42);
    var now = DateTimeOffset.UtcNow;
    long total = 0;
    using var client = await dovecot.ConnectAsync(email);
    foreach (var chunk in Enumerable.Range(0, count).Chunk(500))
    {
        var requests = new List<IAppendRequest>(chunk.Length);
        foreach (var i in chunk)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress($"Customer {i % 700}", $"customer{i % 700}@example{i % 37}.net"));
            message.To.Add(new MailboxAddress("Bench", email));
            message.Subject = $"Re: proposal #{i} for {Words(random, 3)}";
            message.Date = now.AddMinutes(-random.Next(0, 20 * 24 * 60));
            message.MessageId = $"bench-{i}@example.net";
            var text = string.Join("\n\n", Enumerable.Range(0, 4 + random.Next(6)).Select(_ => Words(random, 40 + random.Next(60))));
            var body = new BodyBuilder { TextBody = text };
            if (i % 3 != 0)
            {
                body.HtmlBody = "<html><body><table width=\"600\"><tr><td style=\"font-family:Arial;color:#333\">"
                    + string.Concat(text.Split("\n\n").Select(p => $"<p>{p} <a href=\"https://example.com/{random.Next(1000)}\">read more</a></p>"))
                    + "<img src=\"https://example.com/logo.png\" width=\"120\" alt=\"logo\"></td></tr></table></body></html>";
            }

            message.Body = body.ToMessageBody();
            requests.Add(new AppendRequest(message, i % 4 == 0 ? MessageFlags.Seen : MessageFlags.None) { InternalDate = message.Date });
        }

        await client.Inbox.AppendAsync(requests);
        total += requests.Sum(r => r.Message.ToString().Length);
    }

    await client.DisconnectAsync(true);
    return total;
}

static string Words(Random random, int n)
{
    string[] words = ["price", "offer", "meeting", "contract", "delivery", "invoice", "team", "quarter", "demo", "renewal", "discount", "support", "launch", "order", "schedule"];
    return string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
}

// What any client pays to get the same messages over IMAP: the same SEARCH, summaries and bodies, in the same batches.
static async Task<int> RawFetchAsync(DovecotProcess dovecot, string email)
{
    using var client = new ImapClient();
    await client.ConnectAsync(dovecot.Host, dovecot.Port, SecureSocketOptions.None);
    await client.AuthenticateAsync(email, DovecotProcess.DefaultPassword);
    var inbox = (ImapFolder)client.Inbox;
    await inbox.OpenAsync(FolderAccess.ReadOnly);
    var uids = await inbox.SearchAsync(SearchQuery.DeliveredAfter(DateTime.UtcNow.Date.AddDays(-30)));
    var fetched = 0;
    foreach (var batch in uids.Chunk(250))
    {
        await inbox.FetchAsync(batch, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size));
        await inbox.GetStreamsAsync(batch, async (_, _, _, stream, token) =>
        {
            await stream.CopyToAsync(Stream.Null, token);
            fetched++;
        });
    }

    await client.DisconnectAsync(true);
    return fetched;
}

// Points the bench user's mailbox at Dovecot, as Settings › Email integration would after a successful test.
static async Task<int> ConnectAsync(IServiceProvider services, DovecotProcess dovecot, string email)
{
    await using (var scope = services.CreateAsyncScope())
    {
        var result = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync("Bench", email, "Passw0rd!", Roles.Admin);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    await using var db = await services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync();
    var account = await db.MailAccounts.SingleAsync();
    account.Connect(
        new MailboxSettings { EmailAddress = email, SmtpHost = "127.0.0.1", SmtpPort = 25, ImapHost = dovecot.Host, ImapPort = dovecot.Port, ImapSecurity = MailSecurity.None },
        smtpPasswordProtected: null,
        services.GetRequiredService<MailboxSecrets>().Protect(DovecotProcess.DefaultPassword),
        DateTime.UtcNow);
    await db.SaveChangesAsync();
    return account.Id;
}

/// <summary>Nobody is watching a browser here.</summary>
internal sealed class NoPush : IUserPush
{
    public Task PushAsync(string userId, UserPushEvent pushEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
