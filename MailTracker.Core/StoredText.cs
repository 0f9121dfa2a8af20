namespace MailTracker.Core;

/// <summary>Text cut to a stored length.</summary>
public static class StoredText
{
    /// <summary>
    /// At most <paramref name="max"/> characters, never ending between the two halves of a character beyond the BMP (an
    /// emoji): a lone surrogate is no text to PostgreSQL's driver, which refuses the whole transaction it is in.
    /// </summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        return text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }
}
