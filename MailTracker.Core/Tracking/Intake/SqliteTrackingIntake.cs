using System.Data.Common;
using MailTracker.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// The intake on SQLite: by default a database file of its own beside the main one (its group commits never queue
/// behind sync, outbox or projection writes), a rowid table with no secondary index and no foreign key. The
/// projector's cursor lives in the main database, advanced in the projection's transaction.
/// </summary>
public sealed class SqliteTrackingIntake(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    IOptions<TrackingOptions> options,
    SqliteCheckpointer checkpointer) : ITrackingIntake
{
    private string? _connectionString;

    /// <summary>The intake's connection string (its own file, or the main database with <c>Tracking:IntakeDatabase=main</c>).</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The intake is not initialised yet.");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var main = db.Database.GetConnectionString()!;
            _connectionString = Resolve(main, options.Value.IntakeDatabase);
            checkpointer.Watch(main);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {IntakeSchema.Table} (
                "Position" INTEGER PRIMARY KEY AUTOINCREMENT, "Kind" INTEGER NOT NULL, "Token" TEXT, "MessageId" INTEGER,
                "Head" INTEGER NOT NULL, "At" INTEGER NOT NULL, "UserAgent" TEXT, "ClientIp" TEXT, "SenderUserId" TEXT, "Actor" TEXT);
            """, cancellationToken);

        // A new or replaced intake file must never hand out positions the cursor has passed (they would be skipped).
        var cursor = await CursorAsync(cancellationToken);
        await using var sequence = connection.CreateCommand();
        sequence.CommandText = $"""
            INSERT INTO sqlite_sequence ("name", "seq") SELECT 'TrackingIntake', @cursor
                WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE "name" = 'TrackingIntake');
            UPDATE sqlite_sequence SET "seq" = @cursor WHERE "name" = 'TrackingIntake' AND "seq" < @cursor;
            """;
        sequence.Parameters.AddWithValue("@cursor", cursor);
        await sequence.ExecuteNonQueryAsync(cancellationToken);
        checkpointer.Watch(_connectionString);
    }

    public async Task<IIntakeAppender> OpenAppenderAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        // A commit survives the process being killed (the WAL is written before it returns) but not a power cut; with
        // Tracking:SqliteSynchronous=FULL it survives that too, at one fsync per group. Checkpoints run off this path.
        await ExecuteAsync(connection, $"PRAGMA synchronous={(options.Value.SqliteSynchronous == "FULL" ? "FULL" : "NORMAL")};", cancellationToken);
        await ExecuteAsync(connection, "PRAGMA wal_autocheckpoint=0;", cancellationToken);
        return new Appender(connection);
    }

    public Task<bool> TryBecomeProjectorAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<IntakeBatch> ReadNextAsync(MailTrackerDbContext db, int max, CancellationToken cancellationToken)
    {
        var after = await CursorAsync(db, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{IntakeSchema.Select} WHERE \"Position\" > @after ORDER BY \"Position\" LIMIT @max";
        command.Parameters.AddWithValue("@after", after);
        command.Parameters.AddWithValue("@max", max);
        var entries = new List<IntakeEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(IntakeSchema.Read(reader));
        }

        return new IntakeBatch(after, entries);
    }

    public async Task<bool> AcknowledgeAsync(MailTrackerDbContext db, IntakeBatch batch, CancellationToken cancellationToken) =>
        await db.Set<ProjectionCursor>()
            .Where(c => c.Name == IntakeSchema.CursorName && c.Position == batch.After)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, batch.Through), cancellationToken) == 1;

    public async Task TrimAsync(MailTrackerDbContext db, CancellationToken cancellationToken)
    {
        var cursor = await CursorAsync(db, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {IntakeSchema.Table} WHERE \"Position\" <= @cursor";
        command.Parameters.AddWithValue("@cursor", cursor);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> BacklogAsync(MailTrackerDbContext db, CancellationToken cancellationToken)
    {
        var cursor = await CursorAsync(db, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {IntakeSchema.Table} WHERE \"Position\" > @cursor";
        command.Parameters.AddWithValue("@cursor", cursor);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The intake's own file beside the main database (<c>mailtracker.db</c> → <c>mailtracker.intake.db</c>), or as configured.</summary>
    internal static string Resolve(string mainConnectionString, string? configured)
    {
        if (string.Equals(configured, "main", StringComparison.OrdinalIgnoreCase))
        {
            return mainConnectionString;
        }

        var main = new SqliteConnectionStringBuilder(mainConnectionString);
        var intake = new SqliteConnectionStringBuilder(mainConnectionString);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = configured;
            intake.DataSource = Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(main.DataSource) ?? "", path);
        }
        else if (main.DataSource == ":memory:" || main.Mode == SqliteOpenMode.Memory)
        {
            return mainConnectionString;
        }
        else
        {
            var folder = Path.GetDirectoryName(main.DataSource) ?? "";
            intake.DataSource = Path.Combine(folder, Path.GetFileNameWithoutExtension(main.DataSource) + ".intake" + Path.GetExtension(main.DataSource));
        }

        return intake.ToString();
    }

    private async Task<long> CursorAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await CursorAsync(db, cancellationToken);
    }

    private static Task<long> CursorAsync(MailTrackerDbContext db, CancellationToken cancellationToken) =>
        db.Set<ProjectionCursor>().AsNoTracking().Where(c => c.Name == IntakeSchema.CursorName).Select(c => c.Position).SingleAsync(cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One connection and one prepared insert; a group is one transaction.</summary>
    private sealed class Appender : IIntakeAppender
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;

        public Appender(SqliteConnection connection)
        {
            _connection = connection;
            _insert = connection.CreateCommand();
            _insert.CommandText = $"INSERT INTO {IntakeSchema.Table} ({IntakeSchema.Columns}) VALUES (@k, @t, @m, @h, @a, @u, @i, @s, @r)";
            foreach (var name in new[] { "@k", "@t", "@m", "@h", "@a", "@u", "@i", "@s", "@r" })
            {
                _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        public async Task AppendAsync(IReadOnlyList<IntakeHit> hits, CancellationToken cancellationToken)
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            _insert.Transaction = transaction;
            var p = _insert.Parameters;
            foreach (var hit in hits)
            {
                p[0].Value = (int)hit.Kind;
                p[1].Value = (object?)hit.Token ?? DBNull.Value;
                p[2].Value = (object?)hit.MessageId ?? DBNull.Value;
                p[3].Value = hit.Head;
                p[4].Value = hit.At.Ticks;
                p[5].Value = (object?)hit.UserAgent ?? DBNull.Value;
                p[6].Value = (object?)hit.ClientIp ?? DBNull.Value;
                p[7].Value = (object?)hit.SenderUserId ?? DBNull.Value;
                p[8].Value = (object?)hit.Actor ?? DBNull.Value;
                await _insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _insert.Transaction = null;
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
