using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Operations;

/// <summary>
/// <c>backup FILE</c> copies the SQLite database while the app runs; an app started on the copy (with the key-ring
/// certificate) finds the mail, its opens and the keys that decrypt mailbox passwords.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-backup-").FullName;

    [Fact]
    public async Task ABackupTakenWhileTheAppRunsRestoresTheMailTheHitsAndTheKeys()
    {
        var certificate = Path.Combine(_folder, "keys", "dataprotection.pfx");
        var backup = Path.Combine(_folder, "backups", "mailtracker-backup.db");
        await using var live = new MailTrackerApp()
            .Set("DataProtection:CertificatePath", certificate)
            .Set("DataProtection:GenerateCertificate", "true");
        var sender = await live.CreateUserAsync("backup@example.com", role: Roles.User);
        var mail = await TestMail.SendAsync(live, sender, subject: "Worth keeping");
        using (var recipient = new HttpClient { BaseAddress = new Uri(live.BaseUrl) })
        {
            recipient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            (await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        }

        await live.ProjectedAsync(); // the open is projected and its verdict settled
        var secret = live.Service<MailboxSecrets>().Protect("smtp-secret-456");

        var (exitCode, output, error) = await AppProcess.RunCommandAsync(
            new Dictionary<string, string> { ["Database:ConnectionString"] = $"Data Source={live.DatabasePath}" }, "backup", backup);

        Assert.True(exitCode == 0, $"backup exited {exitCode}: {error}");
        Assert.Contains(backup, output);
        var again = await AppProcess.RunCommandAsync(
            new Dictionary<string, string> { ["Database:ConnectionString"] = $"Data Source={live.DatabasePath}" }, "backup", backup);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already", again.Error);

        await using var restored = new MailTrackerApp()
            .Set("Database:ConnectionString", $"Data Source={backup}")
            .Set("DataProtection:CertificatePath", certificate);
        var found = await restored.Service<MailboxQueries>().GetAsync(sender.Id, mail.MessageId);
        Assert.Equal("Worth keeping", found!.Summary.Subject);
        Assert.Equal(1, found.Summary.OpenCount);
        await using (var db = await restored.DbAsync())
        {
            Assert.Equal(1, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId));
        }

        Assert.Equal("smtp-secret-456", restored.Service<MailboxSecrets>().Unprotect(secret));
        var (_, cookies) = await TestMail.SignInAsync(restored, "backup@example.com");
        Assert.NotEmpty(cookies.GetAllCookies());
    }

    [Fact]
    public async Task BackupOnPostgreSqlPointsToItsOwnTools()
    {
        var (exitCode, _, error) = await AppProcess.RunCommandAsync(
            new Dictionary<string, string> { ["Database:Provider"] = "PostgreSql", ["Database:ConnectionString"] = "Host=127.0.0.1" }, "backup", Path.Combine(_folder, "x.db"));

        Assert.Equal(1, exitCode);
        Assert.Contains("pg_dump", error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
