using MailTracker.Core.Data;

namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// The append-only log of raw tracking hits: the endpoints append (in groups, one commit each), the projector
/// reads what it has not projected yet and acknowledges it in its own transaction, so every appended hit is
/// projected exactly once. See docs/decisions/0003-tracking-intake-and-projection.md.
/// </summary>
public interface ITrackingIntake
{
    /// <summary>Creates the intake's table (and, on SQLite, its file) if needed.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>A long-lived appender on its own connection, for the one intake writer loop of this process.</summary>
    Task<IIntakeAppender> OpenAppenderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether this process may project now. PostgreSQL: one projector at a time across instances (an advisory lock
    /// held by a session; another instance takes over when it goes). SQLite: always (the cursor is claimed conditionally).
    /// </summary>
    Task<bool> TryBecomeProjectorAsync(CancellationToken cancellationToken);

    /// <summary>The next entries to project, oldest first, with the position they follow.</summary>
    Task<IntakeBatch> ReadNextAsync(MailTrackerDbContext db, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a batch projected, inside <paramref name="db"/>'s open transaction. False when another projector got
    /// there first: the caller rolls back and reads again.
    /// </summary>
    Task<bool> AcknowledgeAsync(MailTrackerDbContext db, IntakeBatch batch, CancellationToken cancellationToken);

    /// <summary>Removes projected entries (after their projection committed); idempotent.</summary>
    Task TrimAsync(MailTrackerDbContext db, CancellationToken cancellationToken);

    /// <summary>How many entries wait to be projected.</summary>
    Task<long> BacklogAsync(MailTrackerDbContext db, CancellationToken cancellationToken);
}

/// <summary>Appends groups of hits; each call is one commit.</summary>
public interface IIntakeAppender : IAsyncDisposable
{
    Task AppendAsync(IReadOnlyList<IntakeHit> hits, CancellationToken cancellationToken);
}

/// <summary>Entries read for projection: those after <see cref="After"/>, up to and including <see cref="Through"/>.</summary>
public sealed record IntakeBatch(long After, IReadOnlyList<IntakeEntry> Entries)
{
    public long Through => Entries.Count == 0 ? After : Entries[^1].Position;
}

/// <summary>The names of the intake's table and columns, written once for both providers' SQL.</summary>
internal static class IntakeSchema
{
    public const string Table = "\"TrackingIntake\"";
    public const string Columns = "\"Kind\", \"Token\", \"MessageId\", \"Head\", \"At\", \"UserAgent\", \"ClientIp\", \"SenderUserId\", \"Actor\"";
    public const string Select = "SELECT \"Position\", " + Columns + " FROM " + Table;

    /// <summary>The projector's cursor row in <see cref="ProjectionCursor"/>.</summary>
    public const string CursorName = "tracking";

    public static IntakeEntry Read(System.Data.Common.DbDataReader reader) => new(
        reader.GetInt64(0),
        new IntakeHit(
            (IntakeKind)reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.GetBoolean(4),
            new DateTime(reader.GetInt64(5), DateTimeKind.Utc),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9)));
}
