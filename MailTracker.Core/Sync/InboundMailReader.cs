using System.Security.Cryptography;
using System.Text;
using MailTracker.Core.Messages;
using MimeKit;

namespace MailTracker.Core.Sync;

/// <summary>A message read from an IMAP folder, its HTML already sanitised, ready to be stored.</summary>
public sealed record FetchedMail
{
    public required long Uid { get; init; }
    public bool IsRead { get; init; }
    public required DateTime Date { get; init; }
    public string FromName { get; init; } = "";
    public string FromAddress { get; init; } = "";
    public string To { get; init; } = "";
    public string Cc { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? HtmlBody { get; init; }
    public string TextBody { get; init; } = "";
    public required string MessageIdHeader { get; init; }
    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Message-IDs this one may answer, the closest first: In-Reply-To, then References from the end.</summary>
    public IEnumerable<string> ParentIds()
    {
        if (!string.IsNullOrEmpty(InReplyTo))
        {
            yield return InReplyTo;
        }

        for (var i = References.Count - 1; i >= 0; i--)
        {
            yield return References[i];
        }
    }
}

/// <summary>Turns a fetched MIME message into what MailTracker stores. Received HTML never leaves here unsanitised.</summary>
public static class InboundMailReader
{
    private const int MaxSubject = 1000;
    private const int MaxMessageId = 998;

    /// <param name="mime">The message, or just its headers when the body was fetched part by part.</param>
    /// <param name="text">The text part when fetched separately; null to take it from <paramref name="mime"/>.</param>
    /// <param name="html">The HTML part when fetched separately; null to take it from <paramref name="mime"/>.</param>
    public static FetchedMail Read(MimeMessage mime, long uid, bool seen, DateTimeOffset? internalDate, string? text = null, string? html = null)
    {
        var rawHtml = html ?? mime.HtmlBody;
        var safeHtml = string.IsNullOrWhiteSpace(rawHtml) ? null : MailHtmlSanitizer.SanitizeInbound(rawHtml);
        var plain = text ?? mime.TextBody;
        if (string.IsNullOrWhiteSpace(plain) && safeHtml is not null)
        {
            plain = HtmlToText.Convert(safeHtml);
        }

        var from = mime.From.Mailboxes.FirstOrDefault() ?? mime.Sender;
        var date = mime.Date != DateTimeOffset.MinValue ? mime.Date : internalDate ?? DateTimeOffset.UtcNow;
        var subject = mime.Subject ?? "";
        return new FetchedMail
        {
            Uid = uid,
            IsRead = seen,
            Date = date.UtcDateTime,
            FromName = from?.Name ?? "",
            FromAddress = from?.Address ?? "",
            To = AddressFormat.Format(mime.To.Mailboxes),
            Cc = AddressFormat.Format(mime.Cc.Mailboxes),
            Subject = StoredText.Cut(subject, MaxSubject),
            HtmlBody = safeHtml,
            TextBody = plain ?? "",
            MessageIdHeader = Truncate(mime.MessageId) ?? SyntheticMessageId(mime, date),
            InReplyTo = Truncate(mime.InReplyTo),
            References = mime.References.Select(r => Truncate(r)!).Where(r => r.Length > 0).ToList(),
        };
    }

    /// <summary>A stand-in for a message whose MIME could not be parsed, so the sync moves past it; the server keeps the original.</summary>
    public static FetchedMail Unreadable(long uid, bool seen, DateTimeOffset? internalDate)
    {
        var date = internalDate ?? DateTimeOffset.UtcNow;
        return new FetchedMail
        {
            Uid = uid,
            IsRead = seen,
            Date = date.UtcDateTime,
            Subject = "(unreadable message)",
            TextBody = "MailTracker could not read this message. It is unchanged in your mailbox; open it in another mail client.",
            MessageIdHeader = $"unreadable-{uid}-{date.ToUnixTimeSeconds()}@no-message-id.mailtracker.invalid",
        };
    }

    /// <summary>
    /// Mail without a Message-ID still needs a stable identity, so a resync (a UIDVALIDITY change, a reconnect) recognises
    /// it instead of storing it twice: a hash of what does not change.
    /// </summary>
    private static string SyntheticMessageId(MimeMessage mime, DateTimeOffset date)
    {
        var key = string.Join('\n', mime.From.ToString(), mime.To.ToString(), mime.Subject ?? "", date.ToUnixTimeSeconds());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return $"{hash}@no-message-id.mailtracker.invalid";
    }

    private static string? Truncate(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : StoredText.Cut(value, MaxMessageId);
}
