using MailTracker.Core.Data;
using MailTracker.Core.Operations;

namespace MailTracker.Web.Operations;

/// <summary>
/// <c>dotnet MailTracker.Web.dll backup FILE</c> (or <c>dotnet run --project MailTracker.Web -- backup FILE</c>): an
/// online backup of the configured SQLite database, taken while the app may be running, with the app's own
/// configuration (appsettings, environment variables) and no web host.
/// </summary>
public static class BackupCommand
{
    public static bool IsRequested(string[] args) => args is ["backup", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            await Console.Error.WriteLineAsync("Usage: dotnet MailTracker.Web.dll backup FILE   (FILE must not exist yet)");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder(args[2..]);
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var target = Path.GetFullPath(args[1]);
        try
        {
            if (await DatabaseBackup.BackupAsync(database, builder.Environment.ContentRootPath, target) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 1;
            }
        }
        catch (Exception ex) when (ex is IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"The backup failed: {ex.Message}");
            return 1;
        }

        await Console.Out.WriteLineAsync($"Backed up to {target}. Keep the key-ring certificate (DataProtection:CertificatePath) with it.");
        return 0;
    }
}
