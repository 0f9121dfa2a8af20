using MailTracker.Core.Data;
using Microsoft.Data.Sqlite;

namespace MailTracker.Core.Operations;

/// <summary>
/// An online backup of the SQLite database: <c>VACUUM INTO</c> writes a consistent, compacted copy while the app
/// keeps reading and writing (WAL). The copy holds everything — mail, tracking events, users, and the Data
/// Protection keys, which stay encrypted with the key-ring certificate: back that file up separately.
/// PostgreSQL is backed up with its own tools (pg_dump / pg_restore; README, "Backups").
/// </summary>
public static class DatabaseBackup
{
    public static async Task BackupSqliteAsync(string connectionString, string target, CancellationToken cancellationToken = default)
    {
        target = Path.GetFullPath(target);
        if (File.Exists(target))
        {
            throw new IOException($"'{target}' exists already; a backup never overwrites a file.");
        }

        if (Path.GetDirectoryName(target) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $target";
        command.Parameters.AddWithValue("$target", target);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Backs up the configured database to <paramref name="target"/>; a message for the operator when it cannot.</summary>
    public static async Task<string?> BackupAsync(DatabaseOptions database, string contentRoot, string target, CancellationToken cancellationToken = default)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return "Database:Provider is PostgreSql: back it up with pg_dump (see README, \"Backups\").";
        }

        var connectionString = database.SqliteConnectionString(contentRoot);
        if (!File.Exists(new SqliteConnectionStringBuilder(connectionString).DataSource))
        {
            return $"There is no database at '{new SqliteConnectionStringBuilder(connectionString).DataSource}' (Database:ConnectionString).";
        }

        await BackupSqliteAsync(connectionString, target, cancellationToken);
        return null;
    }
}
