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
        var store = new SyncStore(app.Service<IDbContextFactory<MailTrackerDbContext>>(), clock);
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
