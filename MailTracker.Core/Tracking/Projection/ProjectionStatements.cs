using System.Data.Common;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// The projector's three hot statements (insert an event, set a message's summary, set a link's summary), written
/// once for every provider, with table and column names taken from the EF model (a rename cannot silently break
/// them). Run as one pipelined batch on PostgreSQL, else one prepared statement each.
/// </summary>
internal sealed class ProjectionStatements
{
    private readonly string _insertEvent;
    private readonly string _updateMessage;
    private readonly string _updateLink;
    private readonly string _updateEvent;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _positional = new();

    public ProjectionStatements(MailTrackerDbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var model = db.Model;

        string Table<T>(out StoreObjectIdentifier id)
        {
            var type = model.FindEntityType(typeof(T))!;
            id = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            return sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());
        }

        string Column<T>(StoreObjectIdentifier table, string property) =>
            sql.DelimitIdentifier(model.FindEntityType(typeof(T))!.FindProperty(property)!.GetColumnName(table)!);

        var events = Table<TrackingEvent>(out var e);
        string[] eventColumns =
        [
            nameof(TrackingEvent.MessageId), nameof(TrackingEvent.Kind), nameof(TrackingEvent.TrackedLinkId), nameof(TrackingEvent.OccurredAt),
            nameof(TrackingEvent.Verdict), nameof(TrackingEvent.Counted), nameof(TrackingEvent.UserAgent), nameof(TrackingEvent.IpAddress),
            nameof(TrackingEvent.Recipient), nameof(TrackingEvent.Reason), nameof(TrackingEvent.ClientClass), nameof(TrackingEvent.Settled),
            nameof(TrackingEvent.Head),
        ];
        _insertEvent = $"INSERT INTO {events} ({string.Join(", ", eventColumns.Select(c => Column<TrackingEvent>(e, c)))}) " +
            $"VALUES ({string.Join(", ", eventColumns.Select((_, i) => "@p" + i))})";

        string[] judgement = [nameof(TrackingEvent.Verdict), nameof(TrackingEvent.Reason), nameof(TrackingEvent.ClientClass), nameof(TrackingEvent.Settled), nameof(TrackingEvent.Counted)];
        _updateEvent = $"UPDATE {events} SET {string.Join(", ", judgement.Select((c, i) => $"{Column<TrackingEvent>(e, c)} = @p{i}"))} " +
            $"WHERE {Column<TrackingEvent>(e, nameof(TrackingEvent.Id))} = @p{judgement.Length}";

        var messages = Table<Message>(out var m);
        string[] summaryColumns =
        [
            nameof(Message.OpenCount), nameof(Message.FirstOpenedAt), nameof(Message.LastOpenedAt),
            nameof(Message.ClickCount), nameof(Message.FirstClickedAt), nameof(Message.LastClickedAt),
            nameof(Message.PrivacyOpenCount), nameof(Message.OpenInferred),
        ];
        _updateMessage = $"UPDATE {messages} SET {string.Join(", ", summaryColumns.Select((c, i) => $"{Column<Message>(m, c)} = @p{i}"))} " +
            $"WHERE {Column<Message>(m, nameof(Message.Id))} = @p{summaryColumns.Length}";

        var links = Table<TrackedLink>(out var l);
        string[] linkColumns = [nameof(TrackedLink.ClickCount), nameof(TrackedLink.FirstClickedAt), nameof(TrackedLink.LastClickedAt)];
        _updateLink = $"UPDATE {links} SET {string.Join(", ", linkColumns.Select((c, i) => $"{Column<TrackedLink>(l, c)} = @p{i}"))} " +
            $"WHERE {Column<TrackedLink>(l, nameof(TrackedLink.Id))} = @p{linkColumns.Length}";
    }

    /// <summary>Runs the batch's statements in the context's open transaction.</summary>
    public async Task ExecuteAsync(
        MailTrackerDbContext db,
        IEnumerable<TrackingEvent> events,
        IEnumerable<TrackingEvent> rejudged,
        IEnumerable<(long Id, TrackingSummary Summary)> messages,
        IEnumerable<(long Id, LinkSummary Summary)> links,
        CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var statements = new List<(string Sql, object?[] Values)>();
        foreach (var ev in events)
        {
            statements.Add((_insertEvent,
            [
                ev.MessageId, (int)ev.Kind, ev.TrackedLinkId, ev.OccurredAt, (int)ev.Verdict, ev.Counted, ev.UserAgent, ev.IpAddress, ev.Recipient,
                ev.Reason, (int)ev.ClientClass, ev.Settled, ev.Head,
            ]));
        }

        foreach (var ev in rejudged)
        {
            statements.Add((_updateEvent, [(int)ev.Verdict, ev.Reason, (int)ev.ClientClass, ev.Settled, ev.Counted, ev.Id]));
        }

        foreach (var (id, s) in messages)
        {
            statements.Add((_updateMessage, [s.OpenCount, s.FirstOpenedAt, s.LastOpenedAt, s.ClickCount, s.FirstClickedAt, s.LastClickedAt, s.PrivacyOpenCount, s.OpenInferred, id]));
        }

        foreach (var (id, s) in links)
        {
            statements.Add((_updateLink, [s.ClickCount, s.FirstClickedAt, s.LastClickedAt, id]));
        }

        if (connection is Npgsql.NpgsqlConnection)
        {
            foreach (var chunk in statements.Chunk(1000))
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = transaction;
                foreach (var (text, values) in chunk)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = _positional.GetOrAdd(text, Positional);
                    foreach (var value in values)
                    {
                        var parameter = command.CreateParameter();
                        parameter.Value = value ?? DBNull.Value;
                        command.Parameters.Add(parameter);
                    }

                    batch.BatchCommands.Add(command);
                }

                await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            return;
        }

        var prepared = new Dictionary<string, DbCommand>();
        try
        {
            foreach (var (text, values) in statements)
            {
                if (!prepared.TryGetValue(text, out var command))
                {
                    command = connection.CreateCommand();
                    command.CommandText = text;
                    command.Transaction = transaction;
                    for (var i = 0; i < values.Length; i++)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "@p" + i;
                        command.Parameters.Add(parameter);
                    }

                    prepared[text] = command;
                }

                for (var i = 0; i < values.Length; i++)
                {
                    command.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var command in prepared.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>Npgsql's batch commands take positional parameters ($1, $2, …).</summary>
    private static string Positional(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, @"@p(\d+)", match => "$" + (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1));
}
