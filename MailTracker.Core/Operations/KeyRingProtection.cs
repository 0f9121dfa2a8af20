using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailTracker.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailTracker.Core.Operations;

/// <summary>
/// Data Protection for mailbox passwords: the key ring in the database, each key encrypted with the certificate named by
/// <see cref="KeyRingOptions"/> (created on first start in Development, so a fresh machine just works).
/// </summary>
public static partial class KeyRingProtection
{
    public static void AddMailTrackerDataProtection(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        builder.Services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.Section)
            .Validate(o => !o.GenerateCertificate || !string.IsNullOrWhiteSpace(o.CertificatePath),
                "DataProtection:GenerateCertificate needs DataProtection:CertificatePath, the file to create.")
            .Validate(o => o.PreviousCertificates.All(c => !string.IsNullOrWhiteSpace(c.Path)), "DataProtection:PreviousCertificates: each needs a Path.")
            .ValidateOnStart();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("MailTracker").PersistKeysToDbContext<MailTrackerDbContext>();
        var contentRoot = builder.Environment.ContentRootPath;
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            builder.Services.AddHostedService(sp => new UnprotectedKeyRingWarning(
                sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<UnprotectedKeyRingWarning>>()));
            return;
        }

        var current = LoadOrCreate(Resolve(contentRoot, options.CertificatePath), options.CertificatePassword, options.GenerateCertificate, $"{KeyRingOptions.Section}:CertificatePath");
        var previous = options.PreviousCertificates
            .Select((c, i) => LoadOrCreate(Resolve(contentRoot, c.Path), c.Password, generate: false, $"{KeyRingOptions.Section}:PreviousCertificates:{i}:Path"));
        dataProtection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    private static string Resolve(string contentRoot, string path) => Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);

    private static X509Certificate2 LoadOrCreate(string path, string? password, bool generate, string key)
    {
        if (!File.Exists(path))
        {
            if (!generate)
            {
                throw new InvalidOperationException($"{key}: no certificate file at '{path}'. Create one (README, \"Key ring\") or set {KeyRingOptions.Section}:GenerateCertificate=true.");
            }

            Create(path, password);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{key}: '{path}' is not a PKCS#12 certificate that {KeyRingOptions.Section}:CertificatePassword opens ({ex.Message}).", ex);
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{key}: '{path}' has no private key; the key ring cannot be decrypted with it.");
    }

    /// <summary>A self-signed RSA certificate for encrypting the key ring, readable by this user only.</summary>
    private static void Create(string path, string? password)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=MailTracker Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        var bytes = certificate.Export(X509ContentType.Pfx, password);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        file.Write(bytes);
    }

    private sealed partial class UnprotectedKeyRingWarning(IHostEnvironment environment, ILogger<UnprotectedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!environment.IsDevelopment())
            {
                LogUnprotected(KeyRingOptions.Section);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "The Data Protection key ring (which encrypts mailbox passwords) is stored unencrypted in the database: "
            + "a copy of the database can decrypt them. Set {Section}:CertificatePath to a certificate kept outside the database (README, \"Key ring\").")]
        private partial void LogUnprotected(string section);
    }
}
