using MailKit;
using MailKit.Net.Imap;

namespace MailTracker.Core.Sync;

/// <summary>
/// Finds the server's Sent folder: the one flagged <c>\Sent</c> (RFC 6154 SPECIAL-USE, or Gmail's XLIST), else the
/// first folder with a name mail clients commonly use.
/// </summary>
public static class SentFolderLocator
{
    // Compared with the whole path and with the last segment, ignoring case.
    private static readonly string[] CommonNames =
    [
        "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Sent-Mail", "[Gmail]/Sent Mail", "INBOX.Sent", "INBOX/Sent",
        "Wysłane", "Elementy wysłane", "Gesendet", "Gesendete Elemente", "Envoyés", "Éléments envoyés", "Enviados", "Inviata",
    ];

    public static async Task<IMailFolder?> FindAsync(ImapClient client, CancellationToken cancellationToken)
    {
        if (client.Capabilities.HasFlag(ImapCapabilities.SpecialUse) || client.Capabilities.HasFlag(ImapCapabilities.XList))
        {
            try
            {
                if (client.GetFolder(SpecialFolder.Sent) is { } special)
                {
                    return special;
                }
            }
            catch (NotSupportedException)
            {
                // Advertised but not usable; fall back to names.
            }
        }

        var folders = new List<IMailFolder>();
        foreach (var ns in client.PersonalNamespaces)
        {
            folders.AddRange(await client.GetFoldersAsync(ns, cancellationToken: cancellationToken));
        }

        var flagged = folders.FirstOrDefault(f => f.Attributes.HasFlag(FolderAttributes.Sent));
        if (flagged is not null)
        {
            return flagged;
        }

        foreach (var name in CommonNames)
        {
            var match = folders.FirstOrDefault(f => string.Equals(f.FullName, name, StringComparison.OrdinalIgnoreCase))
                ?? folders.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match is not null && !match.Attributes.HasFlag(FolderAttributes.NonExistent) && !match.Attributes.HasFlag(FolderAttributes.NoSelect))
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Creates "Sent" (marked \Sent where the server allows) for the copies MailTracker appends.</summary>
    public static async Task<IMailFolder> CreateAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        if (client.Capabilities.HasFlag(ImapCapabilities.CreateSpecialUse))
        {
            return await root.CreateAsync("Sent", [SpecialFolder.Sent], cancellationToken)
                ?? throw new InvalidOperationException("The server did not create the Sent folder.");
        }

        return await root.CreateAsync("Sent", isMessageFolder: true, cancellationToken)
            ?? throw new InvalidOperationException("The server did not create the Sent folder.");
    }
}
