using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Messages;

/// <summary>
/// Never twice, across instances: two app processes on one PostgreSQL. An instance that is killed mid-send leaves its
/// claim to lapse and the other takes the message over; the killed one, started again while the other is sending it,
/// leaves that send alone — the recipient gets exactly one copy.
/// </summary>
public sealed class OutboxLeaseTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AKilledSendersMessageIsTakenOverAndItsRestartDoesNotSendItAgain()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var smtp = new HeldSmtpServer();
        var (ownerId, accountId) = await CreateSenderAsync(database, smtp.Port);
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = database,
            ["Outbox:SendLeaseSeconds"] = "3",
            ["Outbox:PollSeconds"] = "1",
            ["Sync:Enabled"] = "false",
        };

        await using var instanceA = await AppProcess.StartAsync(settings);
        var messageId = await QueueAsync(database, ownerId, accountId, "Exactly once");
        var heldByA = await smtp.NextAsync();
        var claimedByA = await MessageAsync(database, messageId);
        Assert.Equal(MessageStatus.Sending, claimedByA.Status);

        await using var instanceB = await AppProcess.StartAsync(settings);
        await instanceA.KillAsync();
        heldByA.Drop(); // A died before the server said yes: nothing was delivered.

        // B takes the message over once A's claim has lapsed, and sends it; its answer is held too.
        var heldByB = await smtp.NextAsync();
        Assert.Equal("Exactly once", heldByB.Subject);
        var claimedByB = await MessageAsync(database, messageId);
        Assert.NotEqual(claimedByA.SendLeaseHolder, claimedByB.SendLeaseHolder);

        // A starts again while B is still sending; B keeps renewing its claim past the lease's length.
        await using var restartedA = await AppProcess.StartAsync(settings);
        await WaitUntilOutboxRunsAsync(restartedA);
        var renewed = await Eventually.ReturnsAsync(async () =>
        {
            var message = await MessageAsync(database, messageId);
            return message.SendLeaseUntil > claimedByB.SendLeaseUntil!.Value.AddSeconds(3) ? message : null;
        }, "B to renew its claim while it sends");
        Assert.Equal((MessageStatus.Sending, claimedByB.SendLeaseHolder), (renewed.Status, renewed.SendLeaseHolder));

        heldByB.Accept();
        var sent = await Eventually.ReturnsAsync(async () =>
        {
            var message = await MessageAsync(database, messageId);
            return message.Status == MessageStatus.Sent ? message : null;
        }, "the message to be sent");

        Assert.Null(sent.SendLeaseHolder);
        Assert.Equal([sent.MessageIdHeader], smtp.Delivered);
        await WaitUntilOutboxRunsAsync(restartedA);
        Assert.Single(smtp.Delivered);
        Assert.Equal(2, smtp.Arrived); // A's dropped attempt and B's: nobody sent it a third time.
    }

    [Fact]
    public async Task AnInstanceStoppedMidSendHandsTheMessageBackAtOnceForTheNextToSendOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var smtp = new HeldSmtpServer();
        var (ownerId, accountId) = await CreateSenderAsync(database, smtp.Port);
        var stopping = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database)
            .Set("Outbox:SendLeaseSeconds", "600").Set("Sync:Enabled", "false");
        stopping.Start();
        var messageId = await QueueAsync(database, ownerId, accountId, "Rolling restart");
        var held = await smtp.NextAsync();

        // A rolling restart: this instance is stopped (not killed) while its send waits for the server's answer.
        await stopping.DisposeAsync();
        held.Drop();
        var handedBack = await MessageAsync(database, messageId);
        Assert.Equal((MessageStatus.Queued, (string?)null), (handedBack.Status, handedBack.SendLeaseHolder));

        // Its successor sends it at once — not after the ten-minute lease — and once.
        await using var next = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database)
            .Set("Outbox:SendLeaseSeconds", "600").Set("Sync:Enabled", "false");
        next.Start();
        (await smtp.NextAsync(TimeSpan.FromSeconds(30))).Accept();
        await Eventually.TrueAsync(async () => (await MessageAsync(database, messageId)).Status == MessageStatus.Sent, "the successor to send it");
        Assert.Single(smtp.Delivered);
    }

    private static MailTrackerDbContext Db(string database) =>
        new(new DbContextOptionsBuilder<MailTrackerDbContext>().UseNpgsql(database).Options);

    /// <summary>A user whose mailbox sends through the held SMTP server; the app migrates the database first.</summary>
    private static async Task<(string OwnerId, int AccountId)> CreateSenderAsync(string database, int smtpPort)
    {
        await using var setup = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database);
        var user = await setup.CreateUserAsync("lease@example.com", role: Roles.User);
        await using var db = Db(database);
        var account = await db.MailAccounts.SingleAsync(a => a.OwnerId == user.Id);
        await db.MailAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.IsSandbox, false)
            .SetProperty(a => a.SmtpHost, "127.0.0.1")
            .SetProperty(a => a.SmtpPort, smtpPort)
            .SetProperty(a => a.SmtpSecurity, MailSecurity.None)
            .SetProperty(a => a.SmtpUsername, ""));
        return (user.Id, account.Id);
    }

    private static async Task<long> QueueAsync(string database, string ownerId, int accountId, string subject)
    {
        await using var db = Db(database);
        var message = Message.Queue(new OutgoingMail
        {
            OwnerId = ownerId, MailAccountId = accountId, FromAddress = "lease@example.com", To = "bob@example.com",
            Subject = subject, HtmlBody = "<p>Once.</p>", TextBody = "Once.", MessageIdHeader = $"{Guid.NewGuid():N}@lease.test",
        }, DateTime.UtcNow);
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private static async Task<Message> MessageAsync(string database, long id)
    {
        await using var db = Db(database);
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    /// <summary>Until the instance's outbox worker has gone round at least once more (it has looked for lapsed claims).</summary>
    private static async Task WaitUntilOutboxRunsAsync(AppProcess instance)
    {
        using var http = new HttpClient { BaseAddress = new Uri(instance.BaseUrl) };
        await Eventually.TrueAsync(async () =>
        {
            var body = await (await http.GetAsync("/healthz/ready")).Content.ReadAsStringAsync();
            return body.Contains("\"outbox\":{\"status\":\"Healthy\"", StringComparison.Ordinal);
        }, "the outbox worker to run");
    }
}
