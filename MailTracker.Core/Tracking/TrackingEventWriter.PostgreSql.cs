using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace MailTracker.Core.Tracking;

/// <summary>
/// On PostgreSQL every statement is a round trip, so a batch's writes go as two pipelined batches in its transaction:
/// first the bell entries (each answers its id), then the events and the summaries. The same rows as on SQLite.
/// </summary>
public sealed partial class TrackingEventWriter
{
    private const string InsertEventSql = """
        INSERT INTO "TrackingEvents" ("MessageId", "Kind", "TrackedLinkId", "OccurredAt", "Source", "Counted", "UserAgent", "IpAddress", "Recipient")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    private const string OpenSummarySql = """
        UPDATE "Messages" SET "OpenCount" = "OpenCount" + $1, "FirstOpenedAt" = COALESCE("FirstOpenedAt", $2), "LastOpenedAt" = $3
        WHERE "Id" = $4
        """;

    private const string ClickSummarySql = """
        UPDATE "Messages" SET "ClickCount" = "ClickCount" + $1, "FirstClickedAt" = COALESCE("FirstClickedAt", $2), "LastClickedAt" = $3
        WHERE "Id" = $4
        """;

    private const string LinkSummarySql = """
        UPDATE "TrackedLinks" SET "ClickCount" = "ClickCount" + $1, "FirstClickedAt" = COALESCE("FirstClickedAt", $2), "LastClickedAt" = $3
        WHERE "Id" = $4
        """;

    private const string InsertNotificationSql = """
        INSERT INTO "Notifications" ("UserId", "MessageId", "Kind", "Actor", "Subject", "Url", "Count", "CreatedAt", "UpdatedAt", "IsRead")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE)
        RETURNING "Id"
        """;

    // Bumps the entry; if it is gone (its message deleted a moment ago, so the insert fails and the batch is retried hit
    // by hit) or was never there, a new one is inserted instead.
    private const string BumpNotificationSql = """
        WITH bumped AS (
            UPDATE "Notifications" SET "Count" = "Count" + $7, "UpdatedAt" = $9, "IsRead" = FALSE WHERE "Id" = $10 RETURNING "Id"
        ), inserted AS (
            INSERT INTO "Notifications" ("UserId", "MessageId", "Kind", "Actor", "Subject", "Url", "Count", "CreatedAt", "UpdatedAt", "IsRead")
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE WHERE NOT EXISTS (SELECT 1 FROM bumped)
            RETURNING "Id"
        )
        SELECT "Id" FROM bumped UNION ALL SELECT "Id" FROM inserted
        """;

    private async Task<Dictionary<NotificationKey, (long Id, DateTime At)>> WriteBatchedAsync(
        NpgsqlConnection connection, List<PendingHit> known, Dictionary<string, Func<TrackingKind, bool>> preferences, List<RecordedHit> recorded)
    {
        var quietPeriod = TimeSpan.FromMinutes(notificationOptions.Value.QuietPeriodMinutes);
        var hits = new List<(PendingHit Pending, HitSource Source, bool Counted, NotificationKey? Key)>(known.Count);
        var bell = new Dictionary<NotificationKey, (TokenTarget Target, int Count, DateTime First, DateTime Last)>();
        var summaries = new Dictionary<long, SummaryDelta>();
        var links = new Dictionary<long, SummaryDelta>();
        foreach (var pending in known)
        {
            var target = pending.Target!;
            var (source, counted) = Tally(pending, summaries, links);
            NotificationKey? key = null;
            if (counted && preferences.TryGetValue(target.OwnerId, out var wants) && wants(target.Kind))
            {
                key = new NotificationKey(target.OwnerId, target.MessageId, target.Kind, target.Url);
                bell[key.Value] = bell.TryGetValue(key.Value, out var group)
                    ? (target, group.Count + 1, group.First, pending.Hit.At > group.Last ? pending.Hit.At : group.Last)
                    : (target, 1, pending.Hit.At, pending.Hit.At);
            }

            hits.Add((pending, source, counted, key));
        }

        var existing = await ExistingNotificationsAsync(connection, bell, quietPeriod);

        await using var transaction = await connection.BeginTransactionAsync();
        var notified = new Dictionary<NotificationKey, (long Id, DateTime At)>();
        if (bell.Count > 0)
        {
            await using var entries = new NpgsqlBatch(connection, transaction);
            var keys = bell.Keys.ToList();
            foreach (var key in keys)
            {
                var (target, count, first, last) = bell[key];
                object?[] values = [target.OwnerId, target.MessageId, (int)target.Kind, target.Actor, target.Subject, target.Url, count, first, last];
                entries.BatchCommands.Add(existing.TryGetValue(key, out var id)
                    ? Command(BumpNotificationSql, [.. values, id])
                    : Command(InsertNotificationSql, values));
            }

            await using var reader = await entries.ExecuteReaderAsync();
            foreach (var key in keys)
            {
                if (!await reader.ReadAsync())
                {
                    throw new InvalidOperationException("A bell entry was not written.");
                }

                notified[key] = (reader.GetInt64(0), bell[key].Last);
                await reader.NextResultAsync();
            }
        }

        await using (var writes = new NpgsqlBatch(connection, transaction))
        {
            foreach (var (pending, source, counted, _) in hits)
            {
                var target = pending.Target!;
                writes.BatchCommands.Add(Command(InsertEventSql,
                    [target.MessageId, (int)target.Kind, target.LinkId, pending.Hit.At, (int)source, counted, pending.Hit.StoredUserAgent, classifier.StoredAddress(pending.Hit.ClientIp), target.Recipient]));
            }

            foreach (var (messageId, delta) in summaries)
            {
                writes.BatchCommands.Add(Command(delta.Kind == TrackingKind.Open ? OpenSummarySql : ClickSummarySql, [delta.Count, delta.First, delta.Last, messageId]));
            }

            foreach (var (linkId, delta) in links)
            {
                writes.BatchCommands.Add(Command(LinkSummarySql, [delta.Count, delta.First, delta.Last, linkId]));
            }

            await writes.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();

        foreach (var (pending, source, counted, key) in hits)
        {
            var target = pending.Target!;
            long? notificationId = key is { } k ? notified[k].Id : null;
            recorded.Add(new RecordedHit(target.MessageId, target.OwnerId, target.Kind, target.Url, source, counted, pending.Hit.At, notificationId));
        }

        return notified;
    }

    /// <summary>
    /// The entry each key's hits bump: the one this writer remembers if it is within the quiet period, else the newest
    /// within it found in one query for all the keys it does not remember.
    /// </summary>
    private async Task<Dictionary<NotificationKey, long>> ExistingNotificationsAsync(
        NpgsqlConnection connection, Dictionary<NotificationKey, (TokenTarget Target, int Count, DateTime First, DateTime Last)> bell, TimeSpan quietPeriod)
    {
        var existing = new Dictionary<NotificationKey, long>();
        var unknown = new List<NotificationKey>();
        foreach (var (key, group) in bell)
        {
            if (_latestNotification.TryGetValue(key, out var latest))
            {
                if (latest.At >= group.First - quietPeriod)
                {
                    existing[key] = latest.Id;
                }
            }
            else
            {
                unknown.Add(key);
            }
        }

        if (unknown.Count == 0)
        {
            return existing;
        }

        await using var command = new NpgsqlCommand(
            """SELECT "Id", "UserId", "MessageId", "Kind", "Url", "UpdatedAt" FROM "Notifications" WHERE "MessageId" = ANY($1)""", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = unknown.Select(k => k.MessageId).Distinct().ToArray() });
        var wanted = unknown.ToHashSet();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = new NotificationKey(reader.GetString(1), reader.GetInt64(2), (TrackingKind)reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
            var id = reader.GetInt64(0);
            if (wanted.Contains(key) && reader.GetDateTime(5) >= bell[key].First - quietPeriod && (!existing.TryGetValue(key, out var newest) || id > newest))
            {
                existing[key] = id;
            }
        }

        return existing;
    }

    /// <summary>The targets of several tokens in one query (one statement, prepared once, whatever their number).</summary>
    private static async Task<Dictionary<string, TokenTarget>> LookupManyAsync(NpgsqlConnection connection, List<string> tokens)
    {
        var result = new Dictionary<string, TokenTarget>(tokens.Count);
        await using var command = new NpgsqlCommand(LookupSql + " = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tokens.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var target = ReadTarget(reader);
            result[target.Token] = target;
        }

        return result;
    }

    private static NpgsqlBatchCommand Command(string sql, object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
