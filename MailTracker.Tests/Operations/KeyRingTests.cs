using System.Security.Cryptography;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Operations;

/// <summary>
/// Mailbox passwords are encrypted with Data Protection keys that are themselves encrypted with a certificate kept
/// outside the database: a copy of the database alone decrypts nothing; with the certificate it does.
/// </summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-keyring-").FullName;

    private string CertificatePath => Path.Combine(_folder, "keys", "dataprotection.pfx");

    [Fact]
    public async Task ACopyOfTheDatabaseAloneCannotDecryptAMailboxPassword()
    {
        var copy = Path.Combine(_folder, "copy.db");
        string protectedPassword;
        await using (var original = new MailTrackerApp()
                         .Set("DataProtection:CertificatePath", CertificatePath)
                         .Set("DataProtection:GenerateCertificate", "true"))
        {
            protectedPassword = original.Service<MailboxSecrets>().Protect("imap-secret-123");
            await using var db = await original.DbAsync();
            var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            Assert.NotEmpty(keys);
            Assert.All(keys, xml => Assert.Contains("EncryptedData", xml));
            await Core.Operations.DatabaseBackup.BackupSqliteAsync(db.Database.GetConnectionString()!, copy);
        }

        Assert.True(File.Exists(CertificatePath), "the certificate was created outside the database");

        await using (var thief = new MailTrackerApp().Set("Database:ConnectionString", $"Data Source={copy}"))
        {
            Assert.ThrowsAny<CryptographicException>(() => thief.Service<MailboxSecrets>().Unprotect(protectedPassword));
        }

        await using var restored = new MailTrackerApp()
            .Set("Database:ConnectionString", $"Data Source={copy}")
            .Set("DataProtection:CertificatePath", CertificatePath);
        Assert.Equal("imap-secret-123", restored.Service<MailboxSecrets>().Unprotect(protectedPassword));
    }

    [Fact]
    public async Task AMissingCertificateStopsTheAppAtStartNamingTheKey()
    {
        await using var app = new MailTrackerApp().Set("DataProtection:CertificatePath", Path.Combine(_folder, "absent.pfx"));

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains("DataProtection:CertificatePath", error.GetBaseException().Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
