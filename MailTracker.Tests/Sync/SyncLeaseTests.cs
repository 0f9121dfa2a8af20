using MailTracker.Core.Data;
using MailTracker.Core.Sync;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MailFolder = MailTracker.Core.Messages.MailFolder;

namespace MailTracker.Tests.Sync;

/// <summary>Several app instances on one database: each connected mailbox is synced by exactly one of them.</summary>
public sealed class SyncLeaseTests(DovecotServer dovecot) : IClassFixture<DovecotServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-lease-").FullName;

    [Fact]
    public async Task ALeaseStaysWithItsHolderWhileRenewedAndPassesOnWhenItRunsOutOrIsGivenUp()
    {
        await using var app = new MailTrackerApp();
        var user = await app.CreateUserAsync("lease@example.com");
        int accountId;
        await using (var db = await app.DbAsync())
        {
            accountId = await db.MailAccounts.Where(a => a.OwnerId == user.Id).Select(a => a.Id).SingleAsync();
        }

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new SyncStore(app.Service<IDbContextFactory<MailTrackerDbContext>>(), app.Service<MailTracker.Core.Tracking.Intake.IntakeWriter>(), clock);
        var lease = TimeSpan.FromSeconds(30);

        Assert.True(await store.TryLeaseAsync(accountId, "a", lease, default));
        Assert.False(await store.TryLeaseAsync(accountId, "b", lease, default));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.TryLeaseAsync(accountId, "a", lease, default));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await store.TryLeaseAsync(accountId, "b", lease, default));

        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await store.TryLeaseAsync(accountId, "b", lease, default));
        Assert.False(await store.TryLeaseAsync(accountId, "a", lease, default));

        await store.ReleaseLeaseAsync(accountId, "a", default);
        Assert.False(await store.TryLeaseAsync(accountId, "a", lease, default));
        await store.ReleaseLeaseAsync(accountId, "b", default);
        Assert.True(await store.TryLeaseAsync(accountId, "a", lease, default));
    }

    [Fact]
    public async Task TwoInstancesSyncAMailboxOnceAndTheOtherCarriesOnWhenTheHolderStops()
    {
        const string email = "lease-sync@example.com";
        var database = $"Data Source={Path.Combine(_folder, "shared.db")}";
        var instanceA = new SyncApp().Set("Database:ConnectionString", database);
        var instanceB = new SyncApp().Set("Database:ConnectionString", database);
        try
        {
            var mailbox = await SyncedMailbox.ConnectAsync(instanceA, dovecot, email, () => dovecot.AppendAsync(email, TestMessages.Create("Before")));
            instanceB.Start();
            await mailbox.WaitForInitialSyncAsync(instanceA);

            var holder = await Eventually.ReturnsAsync(async () => (await LeaseAsync(instanceA, mailbox.AccountId)).Holder, "a sync lease");
            var (running, other) = holder == instanceA.Service<SyncInstance>().Id ? (instanceA, instanceB) : (instanceB, instanceA);
            Assert.Equal(running.Service<SyncInstance>().Id, holder);

            // Both instances go round every second; the holder renews its lease each time and the other never gets it.
            var until = (await LeaseAsync(instanceA, mailbox.AccountId)).Until;
            for (var round = 0; round < 3; round++)
            {
                var previous = until;
                await Eventually.TrueAsync(async () => (await LeaseAsync(instanceA, mailbox.AccountId)).Until > previous, "the lease renewed");
                (var current, until) = await LeaseAsync(instanceA, mailbox.AccountId);
                Assert.Equal(holder, current);
            }

            Assert.Single(await mailbox.MessagesAsync(instanceA, MailFolder.Inbox), m => m.Subject == "Before");

            await running.DisposeAsync();
            await dovecot.AppendAsync(email, TestMessages.Create("After"));

            await mailbox.WaitForMessageAsync(other, "After");
            Assert.Equal(other.Service<SyncInstance>().Id, (await LeaseAsync(other, mailbox.AccountId)).Holder);
            Assert.Single(await mailbox.MessagesAsync(other, MailFolder.Inbox), m => m.Subject == "Before");
        }
        finally
        {
            await instanceA.DisposeAsync();
            await instanceB.DisposeAsync();
        }
    }

    [Fact]
    public async Task AfterACrashTheRestartedInstanceTakesItsMailboxBackWithoutWaitingForTheLease()
    {
        const string email = "lease-crash@example.com";
        var path = Path.Combine(_folder, "crash.db");
        var database = $"Data Source={path}";
        SyncedMailbox mailbox;
        await using (var first = new SyncApp().Set("Database:ConnectionString", database))
        {
            mailbox = await SyncedMailbox.ConnectAsync(first, dovecot, email);
            await mailbox.WaitForInitialSyncAsync(first);
        }

        // What an instance killed on this host leaves behind: a lease far from running out, held by a process that is gone.
        using (var gone = System.Diagnostics.Process.Start("true"))
        {
            await gone.WaitForExitAsync();
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """UPDATE "MailAccounts" SET "SyncLeaseHolder" = $holder, "SyncLeaseUntil" = '2999-01-01 00:00:00' WHERE "Id" = $id""";
            command.Parameters.AddWithValue("$holder", $"{Environment.MachineName}/{gone.Id}/{Guid.NewGuid():N}");
            command.Parameters.AddWithValue("$id", mailbox.AccountId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await using var restarted = new SyncApp().Set("Database:ConnectionString", database);
        restarted.Start();
        await dovecot.AppendAsync(email, TestMessages.Create("After the crash"));

        await mailbox.WaitForMessageAsync(restarted, "After the crash");
        Assert.Equal(restarted.Service<SyncInstance>().Id, (await LeaseAsync(restarted, mailbox.AccountId)).Holder);
    }

    private static async Task<(string? Holder, DateTime? Until)> LeaseAsync(MailTrackerApp app, int accountId)
    {
        await using var db = await app.DbAsync();
        var account = await db.MailAccounts.AsNoTracking().SingleAsync(a => a.Id == accountId);
        return (account.SyncLeaseHolder, account.SyncLeaseUntil);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
