using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Records tracking hits durably and fast: requests queue their hit on a channel and wait; one writer loop
/// takes everything queued, resolves the tokens, and commits the batch in one transaction (events, the
/// messages' tracking summaries, link counts and bell notifications together). Each waiting request is
/// released only when its batch has committed, so an acknowledged hit is never lost. On shutdown the
/// queue drains before the writer stops. Committed hits are then handed to <see cref="ITrackingHitListener"/>s.
/// </summary>
/// <remarks>
/// The hot path uses plain parameterised SQL on one long-lived connection, quoted identifiers only, so it
/// runs unchanged on SQLite and PostgreSQL. See docs/decisions/0003-group-commit-tracking-writer.md.
/// </remarks>
public sealed partial class TrackingEventWriter(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    HitClassifier classifier,
    IEnumerable<ITrackingHitListener> listeners,
    IOptions<TrackingOptions> trackingOptions,
    IOptions<NotificationOptions> notificationOptions,
    ILogger<TrackingEventWriter> logger) : IHostedService, IDisposable
{
    private readonly Channel<PendingHit> _queue = Channel.CreateUnbounded<PendingHit>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly Channel<IReadOnlyList<RecordedHit>> _published = Channel.CreateUnbounded<IReadOnlyList<RecordedHit>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly MemoryCache _targets = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    private readonly ITrackingHitListener[] _listeners = listeners.ToArray();
    private Task? _writing;
    private Task? _checkpointing;
    private readonly CancellationTokenSource _stopping = new();

    // The newest bell entry per (owner, message, kind, url) that this writer wrote or found, so a repeat hit bumps it
    // without a lookup. Only the writer loop touches it, and only after a commit.
    private readonly Dictionary<NotificationKey, (long Id, DateTime At)> _latestNotification = [];
    private Task? _publishing;

    /// <summary>Queues a hit and completes once it is committed (or known to be for an unknown token).</summary>
    public Task<HitOutcome> RecordAsync(TrackingHit hit)
    {
        var pending = new PendingHit(hit);
        if (!_queue.Writer.TryWrite(pending))
        {
            // Shutting down: the hit cannot be made durable any more; the caller still answers safely.
            return Task.FromResult(HitOutcome.Unknown);
        }

        return pending.Completion.Task;
    }

    /// <summary>
    /// For the benchmark's hand-off floor only: goes through the same queue, batch and completion as a hit, and
    /// writes nothing. It shows what the hand-off itself costs, which no way of writing can go below.
    /// </summary>
    public Task ProbeAsync(TrackingHit hit)
    {
        var pending = new PendingHit(hit) { Probe = true };
        return _queue.Writer.TryWrite(pending) ? pending.Completion.Task : Task.CompletedTask;
    }

    /// <summary>Looks a token up without recording anything (for HEAD requests).</summary>
    public async Task<TokenTarget?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (_targets.TryGetValue(token, out TokenTarget? cached))
        {
            return cached;
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        var found = await LookupAsync(connection, null, [token], cancellationToken);
        return found.GetValueOrDefault(token);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writing = Task.Run(WriteLoopAsync, CancellationToken.None);
        _publishing = Task.Run(PublishLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writing is not null)
        {
            await _writing.WaitAsync(cancellationToken);
        }

        _published.Writer.TryComplete();
        if (_publishing is not null)
        {
            await _publishing.WaitAsync(cancellationToken);
        }

        await _stopping.CancelAsync();
        if (_checkpointing is not null)
        {
            await _checkpointing.WaitAsync(cancellationToken);
        }
    }

    /// <remarks>
    /// Safe in any order with <see cref="StopAsync"/> (a host may stop its services again after disposing them): the
    /// queue is drained first if that has not happened, and the stop signal stays usable.
    /// </remarks>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writing?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException ex)
        {
            LogWriterFailed(ex);
        }

        _stopping.Cancel();
        _targets.Dispose();
    }

    /// <summary>Copies the WAL back into the database twice a second (PASSIVE: never blocks the writer or readers).</summary>
    private async Task CheckpointLoopAsync(string connectionString)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        while (true)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _stopping.Token);
                await checkpoint.ExecuteNonQueryAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // Busy or locked now; the next round tries again, and SQLite keeps the WAL consistent meanwhile.
                LogCheckpointFailed(ex);
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        await using var context = await contextFactory.CreateDbContextAsync();
        if (context.Database.IsNpgsql())
        {
            // The same few statements run for every hit: let Npgsql prepare them on the server once (SQLite's driver
            // keeps its statements prepared by itself).
            var connectionString = new DbConnectionStringBuilder { ConnectionString = context.Database.GetConnectionString() };
            connectionString["Max Auto Prepare"] = 16;
            connectionString["Auto Prepare Min Usages"] = 2;
            context.Database.SetConnectionString(connectionString.ConnectionString);
        }

        // Opened through EF so the provider's connection set-up applies (SQLite: foreign keys on).
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();
        if (context.Database.IsSqlite())
        {
            // WAL with synchronous=NORMAL: a commit survives the process being killed (the WAL is written before the
            // commit returns) but not a power cut; see docs/decisions/0003-group-commit-tracking-writer.md.
            var pragma = trackingOptions.Value.SqliteSynchronous == "FULL" ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
            await context.Database.ExecuteSqlRawAsync(pragma);

            // Memory-mapped reads for the random lookups (the page cache stays at its default: SQLite walks the whole cache
            // at the end of every write transaction, so a large one costs more than it saves); checkpoints move off the
            // commit path to a background loop, so no hit waits for the WAL to be copied back into the database.
            await context.Database.ExecuteSqlRawAsync("PRAGMA mmap_size=268435456;");
            await context.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint=0;");
            _checkpointing = Task.Run(() => CheckpointLoopAsync(context.Database.GetConnectionString()!));
        }

        var statements = new Statements(connection);
        var batch = new List<PendingHit>(trackingOptions.Value.MaxBatchSize);

        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < trackingOptions.Value.MaxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            statements = await WriteWithIsolationAsync(connection, statements, batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// Writes a batch; if it fails, writes its hits one by one, so one bad hit (say, for a message deleted a moment
    /// ago) costs only itself. Returns the statements to use next (rebuilt after a failure).
    /// </summary>
    private async Task<Statements> WriteWithIsolationAsync(DbConnection connection, Statements statements, List<PendingHit> batch)
    {
        try
        {
            Publish(await WriteBatchAsync(connection, statements, batch));
            return statements;
        }
        catch (Exception ex)
        {
            statements = await RecoverAsync(connection);
            if (batch.Count == 1)
            {
                LogBatchFailed(ex, 1);
                _targets.Remove(batch[0].Hit.Token);
                batch[0].Completion.TrySetResult(new HitOutcome(false, batch[0].Target));
                return statements;
            }

            foreach (var pending in batch)
            {
                statements = await WriteWithIsolationAsync(connection, statements, [pending]);
            }

            return statements;
        }
    }

    private void Publish(List<RecordedHit> recorded)
    {
        if (recorded.Count > 0 && _listeners.Length > 0)
        {
            _published.Writer.TryWrite(recorded);
        }
    }

    /// <summary>A broken connection is reopened; the statements are rebuilt on it.</summary>
    private static async Task<Statements> RecoverAsync(DbConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            await connection.CloseAsync();
            await connection.OpenAsync();
        }

        return new Statements(connection);
    }

    private async Task<List<RecordedHit>> WriteBatchAsync(DbConnection connection, Statements statements, List<PendingHit> batch)
    {
        var postgres = connection as Npgsql.NpgsqlConnection;
        var missing = batch.Where(p => !p.Probe).Select(p => p.Hit.Token).Where(t => !_targets.TryGetValue(t, out _)).Distinct().ToList();
        Dictionary<string, TokenTarget> looked;
        if (postgres is not null)
        {
            // A round trip per token would cost more than the writes: the tokens this writer has not seen yet (a
            // message's first open, say) are looked up in one query.
            looked = missing.Count == 0 ? [] : await LookupManyAsync(postgres, missing);
        }
        else
        {
            looked = [];
            foreach (var token in missing)
            {
                if (await statements.LookupAsync(token) is { } found)
                {
                    looked[token] = found;
                }
            }
        }

        foreach (var pending in batch.Where(p => !p.Probe))
        {
            if (_targets.TryGetValue(pending.Hit.Token, out TokenTarget? target) || looked.TryGetValue(pending.Hit.Token, out target))
            {
                pending.Target = target;
            }
        }

        var known = batch.Where(p => p.Target is not null).ToList();
        var recorded = new List<RecordedHit>(known.Count);
        if (known.Count > 0)
        {
            var preferences = await PreferencesAsync(connection, known.Select(p => p.Target!.OwnerId).Distinct().ToList());
            var notified = postgres is not null
                ? await WriteBatchedAsync(postgres, known, preferences, recorded)
                : await WriteOneByOneAsync(connection, statements, known, preferences, recorded);
            RememberNotifications(notified, known[^1].Hit.At);

            foreach (var target in looked.Values.Where(t => t.SentAt is not null))
            {
                _targets.Set(target.Token, target, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(6) });
            }
        }

        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult(pending.Target is null ? HitOutcome.Unknown : new HitOutcome(true, pending.Target));
        }

        return recorded;
    }

    /// <summary>
    /// The batch's writes as one prepared statement each, in one transaction (SQLite: no round trips, and its driver
    /// keeps statements prepared). Returns the bell entries written, by key.
    /// </summary>
    private async Task<Dictionary<NotificationKey, (long Id, DateTime At)>> WriteOneByOneAsync(
        DbConnection connection, Statements statements, List<PendingHit> known, Dictionary<string, Func<TrackingKind, bool>> preferences,
        List<RecordedHit> recorded)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        statements.Enlist(transaction);
        var summaries = new Dictionary<long, SummaryDelta>();
        var notified = new Dictionary<NotificationKey, (long Id, DateTime At)>();
        var links = new Dictionary<long, SummaryDelta>();

        foreach (var pending in known)
        {
            var hit = pending.Hit;
            var target = pending.Target!;
            var (source, counted) = Tally(pending, summaries, links);
            await statements.InsertEventAsync(target, hit, source, counted, classifier.StoredAddress(hit.ClientIp));

            long? notificationId = null;
            if (counted && preferences.TryGetValue(target.OwnerId, out var wants) && wants(target.Kind))
            {
                var since = hit.At.AddMinutes(-notificationOptions.Value.QuietPeriodMinutes);
                notificationId = await UpsertNotificationAsync(statements, target, hit.At, since, notified);
            }

            recorded.Add(new RecordedHit(target.MessageId, target.OwnerId, target.Kind, target.Url, source, counted, hit.At, notificationId));
        }

        foreach (var (messageId, delta) in summaries)
        {
            await statements.UpdateMessageSummaryAsync(messageId, delta);
        }

        foreach (var (linkId, delta) in links)
        {
            await statements.UpdateLinkSummaryAsync(linkId, delta);
        }

        await transaction.CommitAsync();
        statements.Enlist(null);
        return notified;
    }

    /// <summary>
    /// Bumps the bell entry of the same message (and kind, and URL) if it is within the quiet period, else creates one.
    /// The latest entry is remembered in memory; only a key this writer has not seen costs a lookup. (With several
    /// instances, one may not see the other's newest entry and start a new one: a second entry, never a lost hit.)
    /// </summary>
    private async Task<long> UpsertNotificationAsync(
        Statements statements, TokenTarget target, DateTime at, DateTime since, Dictionary<NotificationKey, (long Id, DateTime At)> notified)
    {
        var key = new NotificationKey(target.OwnerId, target.MessageId, target.Kind, target.Url);
        if (notified.TryGetValue(key, out var latest) || _latestNotification.TryGetValue(key, out latest))
        {
            if (latest.At >= since && await statements.BumpNotificationAsync(latest.Id, at))
            {
                notified[key] = (latest.Id, at);
                return latest.Id;
            }
        }
        else if (await statements.FindNotificationAsync(target, since) is { } found && await statements.BumpNotificationAsync(found, at))
        {
            notified[key] = (found, at);
            return found;
        }

        var id = await statements.InsertNotificationAsync(target, at);
        notified[key] = (id, at);
        return id;
    }

    private void RememberNotifications(Dictionary<NotificationKey, (long Id, DateTime At)> notified, DateTime now)
    {
        foreach (var (key, value) in notified)
        {
            _latestNotification[key] = value;
        }

        // Entries older than the quiet period cannot be bumped any more; forget them once the map grows.
        if (_latestNotification.Count > 100_000)
        {
            var horizon = now.AddMinutes(-notificationOptions.Value.QuietPeriodMinutes);
            foreach (var stale in _latestNotification.Where(e => e.Value.At < horizon).Select(e => e.Key).ToList())
            {
                _latestNotification.Remove(stale);
            }
        }
    }

    private readonly record struct NotificationKey(string OwnerId, long MessageId, TrackingKind Kind, string? Url);

    /// <summary>Classifies a hit and, if it counts, adds it to its message's (and link's) summary for this batch.</summary>
    private (HitSource Source, bool Counted) Tally(PendingHit pending, Dictionary<long, SummaryDelta> summaries, Dictionary<long, SummaryDelta> links)
    {
        var target = pending.Target!;
        var source = classifier.Classify(pending.Hit, target);
        var counted = HitClassifier.Counts(source);
        if (counted)
        {
            Accumulate(summaries, target.MessageId, target.Kind, pending.Hit.At);
            if (target.LinkId is { } linkId)
            {
                Accumulate(links, linkId, TrackingKind.Click, pending.Hit.At);
            }
        }

        return (source, counted);
    }

    private static void Accumulate(Dictionary<long, SummaryDelta> deltas, long id, TrackingKind kind, DateTime at)
    {
        deltas.TryGetValue(id, out var delta);
        deltas[id] = new SummaryDelta(
            kind,
            delta.Count + 1,
            delta.Count == 0 || at < delta.First ? at : delta.First,
            delta.Count == 0 || at > delta.Last ? at : delta.Last);
    }

    private async Task PublishLoopAsync()
    {
        while (await _published.Reader.WaitToReadAsync())
        {
            while (_published.Reader.TryRead(out var hits))
            {
                foreach (var listener in _listeners)
                {
                    try
                    {
                        await listener.OnHitsRecordedAsync(hits, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        // The hits are committed; a listener failing only delays what the UI shows until it reloads.
                        LogListenerFailed(ex, listener.GetType().Name);
                    }
                }
            }
        }
    }

    private static async Task<Dictionary<string, TokenTarget>> LookupAsync(
        DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, TokenTarget>(tokens.Count);
        foreach (var chunk in tokens.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@t" + i;
                AddParameter(command, names[i], chunk[i]);
            }

            command.CommandText = $"{LookupSql} IN ({string.Join(", ", names)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var target = ReadTarget(reader);
                result[target.Token] = target;
            }
        }

        return result;
    }

    /// <summary>Which kinds ring each owner's bell; cached briefly, so a settings change applies within seconds.</summary>
    private async Task<Dictionary<string, Func<TrackingKind, bool>>> PreferencesAsync(DbConnection connection, IReadOnlyList<string> ownerIds)
    {
        var result = new Dictionary<string, Func<TrackingKind, bool>>();
        var missing = new List<string>();
        foreach (var id in ownerIds)
        {
            if (_targets.TryGetValue(PreferencesKey(id), out Func<TrackingKind, bool>? cached))
            {
                result[id] = cached!;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            foreach (var (id, wants) in await LoadPreferencesAsync(connection, missing))
            {
                result[id] = wants;
                _targets.Set(PreferencesKey(id), wants, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10) });
            }
        }

        return result;
    }

    private static string PreferencesKey(string userId) => "prefs:" + userId;

    private const string LookupSql = """
        SELECT t."Token", t."Kind", t."MessageId", m."OwnerId", t."TrackedLinkId", l."Url", t."Recipient",
               m."SentAt", m."Subject", m."To"
        FROM "TrackingTokens" t
        JOIN "Messages" m ON m."Id" = t."MessageId"
        LEFT JOIN "TrackedLinks" l ON l."Id" = t."TrackedLinkId"
        WHERE t."Token"
        """;

    private static TokenTarget ReadTarget(DbDataReader reader)
    {
        var recipient = reader.IsDBNull(6) ? null : reader.GetString(6);
        return new TokenTarget(
            Token: reader.GetString(0),
            Kind: (TrackingKind)reader.GetInt32(1),
            MessageId: reader.GetInt64(2),
            OwnerId: reader.GetString(3),
            LinkId: reader.IsDBNull(4) ? null : reader.GetInt64(4),
            Url: reader.IsDBNull(5) ? null : reader.GetString(5),
            Recipient: recipient,
            SentAt: reader.IsDBNull(7) ? null : DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc),
            Subject: reader.GetString(8),
            Actor: recipient ?? Messages.AddressFormat.FirstDisplayName(reader.GetString(9)));
    }

    private static async Task<Dictionary<string, Func<TrackingKind, bool>>> LoadPreferencesAsync(DbConnection connection, IReadOnlyList<string> ownerIds)
    {
        var result = new Dictionary<string, Func<TrackingKind, bool>>();
        await using var command = connection.CreateCommand();
        var names = new string[ownerIds.Count];
        for (var i = 0; i < ownerIds.Count; i++)
        {
            names[i] = "@u" + i;
            AddParameter(command, names[i], ownerIds[i]);
        }

        command.CommandText = $"""
            SELECT "Id", "NotifyOnOpen", "NotifyOnClick" FROM "AspNetUsers" WHERE "Id" IN ({string.Join(", ", names)})
            """;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var onOpen = reader.GetBoolean(1);
            var onClick = reader.GetBoolean(2);
            result[reader.GetString(0)] = kind => kind == TrackingKind.Open ? onOpen : onClick;
        }

        return result;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {Count} tracking hit(s) failed; they were answered but not recorded")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The tracking writer stopped with an error")]
    private partial void LogWriterFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A WAL checkpoint did not run this round")]
    private partial void LogCheckpointFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracking hit listener {Listener} failed")]
    private partial void LogListenerFailed(Exception exception, string listener);

    private readonly record struct SummaryDelta(TrackingKind Kind, int Count, DateTime First, DateTime Last);

    private sealed class PendingHit(TrackingHit hit)
    {
        public TrackingHit Hit { get; } = hit;

        public TokenTarget? Target { get; set; }

        /// <summary>A benchmark probe (<see cref="ProbeAsync"/>): completed with its batch, never written.</summary>
        public bool Probe { get; init; }

        public TaskCompletionSource<HitOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer's prepared statements, reused for every batch on its one connection.</summary>
    private sealed class Statements
    {
        private readonly DbCommand _insertEvent;
        private readonly DbCommand _openSummary;
        private readonly DbCommand _clickSummary;
        private readonly DbCommand _linkSummary;
        private readonly DbCommand _findNotification;
        private readonly DbCommand _bumpNotification;
        private readonly DbCommand _markUnread;
        private readonly DbCommand _insertNotification;
        private readonly DbCommand _lookup;

        public Statements(DbConnection connection)
        {
            _lookup = Create(connection, LookupSql + " = @token", "@token");
            _insertEvent = Create(connection, """
                INSERT INTO "TrackingEvents" ("MessageId", "Kind", "TrackedLinkId", "OccurredAt", "Source", "Counted", "UserAgent", "IpAddress", "Recipient")
                VALUES (@message, @kind, @link, @at, @source, @counted, @agent, @ip, @recipient)
                """, "@message", "@kind", "@link", "@at", "@source", "@counted", "@agent", "@ip", "@recipient");
            _openSummary = Create(connection, """
                UPDATE "Messages" SET "OpenCount" = "OpenCount" + @count,
                    "FirstOpenedAt" = COALESCE("FirstOpenedAt", @first), "LastOpenedAt" = @last
                WHERE "Id" = @id
                """, "@count", "@first", "@last", "@id");
            _clickSummary = Create(connection, """
                UPDATE "Messages" SET "ClickCount" = "ClickCount" + @count,
                    "FirstClickedAt" = COALESCE("FirstClickedAt", @first), "LastClickedAt" = @last
                WHERE "Id" = @id
                """, "@count", "@first", "@last", "@id");
            _linkSummary = Create(connection, """
                UPDATE "TrackedLinks" SET "ClickCount" = "ClickCount" + @count,
                    "FirstClickedAt" = COALESCE("FirstClickedAt", @first), "LastClickedAt" = @last
                WHERE "Id" = @id
                """, "@count", "@first", "@last", "@id");
            // Only the (message, kind) index narrows this (a handful of rows); the rest is picked here, so no planner can
            // prefer the per-user index and walk all of a user's recent entries.
            _findNotification = Create(connection, """
                SELECT "Id", "UserId", "UpdatedAt", "Url" FROM "Notifications" WHERE "MessageId" = @message AND "Kind" = @kind
                """, "@message", "@kind");
            // The count and time change on every repeat hit; the read flag only when the user had read the entry, so the
            // common bump leaves the (user, read) index alone.
            _bumpNotification = Create(connection, """
                UPDATE "Notifications" SET "Count" = "Count" + 1, "UpdatedAt" = @at WHERE "Id" = @id
                """, "@at", "@id");
            _markUnread = Create(connection, """
                UPDATE "Notifications" SET "IsRead" = @unread WHERE "Id" = @id AND "IsRead" = @read
                """, "@unread", "@id", "@read");
            _insertNotification = Create(connection, """
                INSERT INTO "Notifications" ("UserId", "MessageId", "Kind", "Actor", "Subject", "Url", "Count", "CreatedAt", "UpdatedAt", "IsRead")
                VALUES (@user, @message, @kind, @actor, @subject, @url, 1, @at, @at, @read)
                RETURNING "Id"
                """, "@user", "@message", "@kind", "@actor", "@subject", "@url", "@at", "@read");
        }

        public void Enlist(DbTransaction? transaction)
        {
            foreach (var command in new[] { _lookup, _insertEvent, _openSummary, _clickSummary, _linkSummary, _findNotification, _bumpNotification, _markUnread, _insertNotification })
            {
                command.Transaction = transaction;
            }
        }

        public async Task<TokenTarget?> LookupAsync(string token)
        {
            Set(_lookup, token);
            await using var reader = await _lookup.ExecuteReaderAsync();
            return await reader.ReadAsync() ? ReadTarget(reader) : null;
        }

        public Task InsertEventAsync(TokenTarget target, TrackingHit hit, HitSource source, bool counted, string? ip)
        {
            return Run(_insertEvent, target.MessageId, (int)target.Kind, target.LinkId, hit.At, (int)source, counted, hit.StoredUserAgent, ip, target.Recipient);
        }

        public Task UpdateMessageSummaryAsync(long messageId, SummaryDelta delta) =>
            Run(delta.Kind == TrackingKind.Open ? _openSummary : _clickSummary, delta.Count, delta.First, delta.Last, messageId);

        public Task UpdateLinkSummaryAsync(long linkId, SummaryDelta delta) =>
            Run(_linkSummary, delta.Count, delta.First, delta.Last, linkId);

        public async Task<long?> FindNotificationAsync(TokenTarget target, DateTime since)
        {
            Set(_findNotification, target.MessageId, (int)target.Kind);
            long? newest = null;
            await using var reader = await _findNotification.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                var matches = reader.GetString(1) == target.OwnerId
                    && DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc) >= since
                    && (reader.IsDBNull(3) ? null : reader.GetString(3)) == target.Url;
                if (matches && (newest is null || id > newest))
                {
                    newest = id;
                }
            }

            return newest;
        }

        /// <summary>False when the entry is gone (its message was deleted).</summary>
        public async Task<bool> BumpNotificationAsync(long id, DateTime at)
        {
            Set(_bumpNotification, at, id);
            if (await _bumpNotification.ExecuteNonQueryAsync() != 1)
            {
                return false;
            }

            await Run(_markUnread, false, id, true);
            return true;
        }

        public async Task<long> InsertNotificationAsync(TokenTarget target, DateTime at)
        {
            Set(_insertNotification, target.OwnerId, target.MessageId, (int)target.Kind, target.Actor, target.Subject, target.Url, at, false);
            var inserted = await _insertNotification.ExecuteScalarAsync();
            return Convert.ToInt64(inserted, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static DbCommand Create(DbConnection connection, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                AddParameter(command, name, null);
            }

            return command;
        }

        private static void Set(DbCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }

        private static async Task Run(DbCommand command, params object?[] values)
        {
            Set(command, values);
            await command.ExecuteNonQueryAsync();
        }
    }
}
