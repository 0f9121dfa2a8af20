namespace MailTracker.Core.Operations;

/// <summary>
/// The <c>DataProtection</c> section: the certificate that encrypts the Data Protection key ring (the keys that encrypt
/// mailbox passwords). The keys stay in the database, shared by every instance; the certificate lives outside it, so a
/// copy of the database alone cannot decrypt a password. See README, "Key ring".
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with a private key; relative paths are under the app's content root. Empty: keys unencrypted.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Create a self-signed certificate at <see cref="CertificatePath"/> when there is none (on in Development).</summary>
    public bool GenerateCertificate { get; set; }

    /// <summary>Certificates used before a rotation: keys they encrypted can still be read; new keys use the current one.</summary>
    public List<KeyRingCertificate> PreviousCertificates { get; set; } = [];
}

/// <summary>A certificate file and its password.</summary>
public sealed class KeyRingCertificate
{
    public string Path { get; set; } = "";

    public string? Password { get; set; }
}
