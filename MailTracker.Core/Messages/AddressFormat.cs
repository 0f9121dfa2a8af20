using MimeKit;

namespace MailTracker.Core.Messages;

/// <summary>Parsing and showing the RFC 5322 address lists stored on messages.</summary>
public static class AddressFormat
{
    /// <summary>Parses a comma- or semicolon-separated list; returns false with the offending part if any is malformed.</summary>
    public static bool TryParseList(string? input, out List<MailboxAddress> addresses, out string? invalid)
    {
        addresses = [];
        invalid = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            return true;
        }

        foreach (var raw in SplitList(input))
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, raw, out var mailbox) || !IsPlausibleAddress(mailbox.Address))
            {
                invalid = raw;
                return false;
            }

            addresses.Add(mailbox);
        }

        return true;
    }

    /// <summary>The stored form of a list.</summary>
    public static string Format(IEnumerable<MailboxAddress> addresses) =>
        string.Join(", ", addresses.Select(a => a.ToString()));

    public static IReadOnlyList<MailboxAddress> Parse(string? stored) =>
        TryParseList(stored, out var list, out _) ? list : [];

    /// <summary>
    /// The well-formed addresses of a list, skipping the rest: for received mail with a broken header and for
    /// a recipient field the user is still typing.
    /// </summary>
    public static IReadOnlyList<MailboxAddress> ParseWellFormed(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return [];
        }

        var addresses = new List<MailboxAddress>();
        foreach (var raw in SplitList(input))
        {
            if (MailboxAddress.TryParse(ParserOptions.Default, raw, out var mailbox) && IsPlausibleAddress(mailbox.Address))
            {
                addresses.Add(mailbox);
            }
        }

        return addresses;
    }

    /// <summary>The name of the first address in a list, or the address itself.</summary>
    public static string FirstDisplayName(string? stored)
    {
        var first = Parse(stored).FirstOrDefault();
        return first is null ? "" : string.IsNullOrWhiteSpace(first.Name) ? first.Address : first.Name;
    }

    /// <summary>Names (or addresses) of everyone in a list, for the message list.</summary>
    public static string DisplayNames(string? stored) =>
        string.Join(", ", Parse(stored).Select(a => string.IsNullOrWhiteSpace(a.Name) ? a.Address : a.Name));

    private static bool IsPlausibleAddress(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1 || address.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var domain = address[(at + 1)..];
        return domain.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.'));
    }

    private static IEnumerable<string> SplitList(string input)
    {
        // Commas inside quoted display names do not separate addresses.
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && (c == ',' || c == ';'))
            {
                var part = input[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
        }

        var last = input[start..].Trim();
        if (last.Length > 0)
        {
            yield return last;
        }
    }
}
