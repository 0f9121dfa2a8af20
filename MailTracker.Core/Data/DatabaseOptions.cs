using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Data;

public enum DatabaseProvider
{
    Sqlite = 0,
    PostgreSql = 1,
}

/// <summary>The <c>Database</c> section: which database, and where.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>A relative SQLite <c>Data Source</c> is resolved against the app's content root.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=App_Data/mailtracker.db";

    /// <summary>The SQLite connection string with its <c>Data Source</c> made absolute under <paramref name="contentRoot"/>.</summary>
    public string SqliteConnectionString(string contentRoot)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
        if (connection.DataSource != ":memory:" && !Path.IsPathRooted(connection.DataSource))
        {
            connection.DataSource = Path.Combine(contentRoot, connection.DataSource);
        }

        return connection.ToString();
    }
}
