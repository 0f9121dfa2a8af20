namespace MailTracker.Core.Data;

/// <summary>Escaping for LIKE patterns built from what the user typed.</summary>
internal static class Like
{
    public const string EscapeCharacter = "\\";

    public static string Escape(string term) =>
        term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
