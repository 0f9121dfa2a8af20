using MailTracker.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Data;

/// <summary>Brings the database up to date before the app serves anything, and creates the workspace row once.</summary>
internal sealed partial class DatabaseMigrator(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging: readers never block the tracking writer, and commits are cheap.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (options.Value.Provider == DatabaseProvider.PostgreSql)
        {
            // PostgreSQL has its own migrations, kept under their own context type (EF Core locks the database while
            // migrating, so instances starting together take turns).
            await using var migrations = new PostgreSqlMigrationContext(PostgreSqlMigrationContext.Options(options.Value.ConnectionString));
            await migrations.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (!await db.Workspaces.AnyAsync(cancellationToken))
        {
            db.Workspaces.Add(new Workspace());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Two instances may start together; fine if the other one created it.
                if (!await AnotherInstanceCreatedItAsync(cancellationToken))
                {
                    throw;
                }
            }
        }

        LogReady(db.Database.ProviderName ?? "?");
    }

    private async Task<bool> AnotherInstanceCreatedItAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Workspaces.AnyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider})")]
    private partial void LogReady(string provider);
}
