using Microsoft.AspNetCore.DataProtection;

namespace MailTracker.Core.Webhooks;

/// <summary>Encrypts endpoints' signing secrets at rest with ASP.NET Core Data Protection, like mailbox passwords.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("MailTracker.Webhook.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
