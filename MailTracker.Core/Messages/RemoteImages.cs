using System.Text.RegularExpressions;

namespace MailTracker.Core.Messages;

/// <summary>
/// Whether sanitised HTML would fetch images from the web (src, srcset, background, CSS url()). The message view then
/// blocks them until the user asks: a remote image is how senders — MailTracker included — learn that mail was opened.
/// </summary>
public static partial class RemoteImages
{
    public static bool In(string? html) => html is not null && RemoteReference().IsMatch(html);

    [GeneratedRegex("""(?:\b(?:src|srcset|background|poster)\s*=\s*["']?\s*|url\(\s*["']?\s*)(?:https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteReference();
}
