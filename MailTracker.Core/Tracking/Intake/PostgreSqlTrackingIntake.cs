using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// The intake on PostgreSQL: a table in the main database with no secondary index and no foreign key. A group is
/// one multi-row insert (one round trip, one commit). Since several instances append at once, positions may commit
/// out of order, so instead of a cursor the projector deletes what it projected in the projection's own transaction;
/// one projector runs at a time (a session advisory lock), another instance takes over when its session ends.
/// </summary>
public sealed class PostgreSqlTrackingIntake(IDbContextFactory<MailTrackerDbContext> contextFactory) : ITrackingIntake, IAsyncDisposable
{
    private const long ProjectorLock = 0x4D54_5052_4F4A; // "MTPROJ"
    private string? _connectionString;
    private NpgsqlConnection? _lockHolder;

    private string ConnectionString => _connectionString ?? throw new InvalidOperationException("The intake is not initialised yet.");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            _connectionString = db.Database.GetConnectionString();
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Instances starting together take turns (CREATE TABLE IF NOT EXISTS alone can still collide).
        await using var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({ProjectorLock + 1});
            CREATE TABLE IF NOT EXISTS {IntakeSchema.Table} (
                "Position" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Kind" INTEGER NOT NULL, "Token" TEXT, "MessageId" BIGINT,
                "Head" BOOLEAN NOT NULL, "At" BIGINT NOT NULL, "UserAgent" TEXT, "ClientIp" TEXT, "SenderUserId" TEXT, "Actor" TEXT);
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IIntakeAppender> OpenAppenderAsync(CancellationToken cancellationToken) =>
        new Appender(await OpenAsync(cancellationToken));

    public async Task<bool> TryBecomeProjectorAsync(CancellationToken cancellationToken)
    {
        if (_lockHolder is { State: System.Data.ConnectionState.Open })
        {
            return true;
        }

        if (_lockHolder is not null)
        {
            await _lockHolder.DisposeAsync();
            _lockHolder = null;
        }

        var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ProjectorLock})", connection);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            _lockHolder = connection;
            return true;
        }

        await connection.DisposeAsync();
        return false;
    }

    public async Task<IntakeBatch> ReadNextAsync(MailTrackerDbContext db, int max, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"{IntakeSchema.Select} ORDER BY \"Position\" LIMIT $1", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var entries = new List<IntakeEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(IntakeSchema.Read(reader));
        }

        return new IntakeBatch(0, entries);
    }

    public async Task<bool> AcknowledgeAsync(MailTrackerDbContext db, IntakeBatch batch, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand($"DELETE FROM {IntakeSchema.Table} WHERE \"Position\" = ANY($1)", connection,
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Entries.Select(e => e.Position).ToArray() });
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);

        // Informational on PostgreSQL (the deletes are what make it exactly once): the newest position projected.
        await db.Set<ProjectionCursor>().Where(c => c.Name == IntakeSchema.CursorName && c.Position < batch.Through)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, batch.Through), cancellationToken);
        return deleted == batch.Entries.Count;
    }

    /// <summary>Nothing to do: projected entries were deleted with their projection.</summary>
    public Task TrimAsync(MailTrackerDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<long> BacklogAsync(MailTrackerDbContext db, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {IntakeSchema.Table}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lockHolder is not null)
        {
            await _lockHolder.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A group is one statement: the hits as arrays, unnested into rows.</summary>
    private sealed class Appender(NpgsqlConnection connection) : IIntakeAppender
    {
        private readonly NpgsqlCommand _insert = new($"""
            INSERT INTO {IntakeSchema.Table} ({IntakeSchema.Columns})
            SELECT * FROM unnest($1::integer[], $2::text[], $3::bigint[], $4::boolean[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
            """, connection);

        public async Task AppendAsync(IReadOnlyList<IntakeHit> hits, CancellationToken cancellationToken)
        {
            _insert.Parameters.Clear();
            _insert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = hits.Select(h => (int)h.Kind).ToArray() });
            _insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = hits.Select(h => h.Token).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _insert.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = hits.Select(h => h.MessageId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            _insert.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = hits.Select(h => h.Head).ToArray() });
            _insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = hits.Select(h => h.At.Ticks).ToArray() });
            _insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = hits.Select(h => h.UserAgent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = hits.Select(h => h.ClientIp).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = hits.Select(h => h.SenderUserId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = hits.Select(h => h.Actor).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await _insert.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
