using Microsoft.AspNetCore.DataProtection;

namespace MailTracker.Core.Accounts;

/// <summary>Encrypts mailbox passwords at rest with ASP.NET Core Data Protection (keys kept in the database).</summary>
public sealed class MailboxSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("MailTracker.MailAccount.Password.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string protectedPassword) => _protector.Unprotect(protectedPassword);
}
