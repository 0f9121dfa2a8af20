namespace MailTracker.Core.Contacts;

/// <summary>How addresses are compared across people and mail: trimmed and lower-cased.</summary>
/// <remarks>
/// RFC 5321 lets the local part be case-sensitive, but no mail provider in practice treats
/// Bob@ and bob@ as two people, and users type both.
/// </remarks>
public static class ContactAddress
{
    public static string Normalize(string address) => address.Trim().ToLowerInvariant();
}
