using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MailTracker.Core.Data;

/// <summary>
/// The same model as <see cref="MailTrackerDbContext"/>, used only to hold and apply the PostgreSQL migrations (one
/// assembly keeps a set of migrations per context type). The app itself always works through
/// <see cref="MailTrackerDbContext"/>; see docs/decisions/0010-postgresql.md.
/// </summary>
public sealed class PostgreSqlMigrationContext(DbContextOptions<PostgreSqlMigrationContext> options) : MailTrackerDbContext(options)
{
    public static DbContextOptions<PostgreSqlMigrationContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<PostgreSqlMigrationContext>().UseNpgsql(connectionString).Options;
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgreSqlMigrationContext</c> build the model without a server.</summary>
internal sealed class PostgreSqlMigrationContextFactory : IDesignTimeDbContextFactory<PostgreSqlMigrationContext>
{
    public PostgreSqlMigrationContext CreateDbContext(string[] args) =>
        new(PostgreSqlMigrationContext.Options("Host=127.0.0.1;Database=mailtracker_design"));
}
