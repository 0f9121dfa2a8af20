using MailTracker.Core.Tracking;
using MimeKit;

namespace MailTracker.Core.Messages;

/// <summary>Builds the MIME of a queued message: the copy for recipients (tracking applied) and the sender's copy (none).</summary>
public static class OutgoingMimeFactory
{
    /// <param name="message">The stored message (sender's copy).</param>
    /// <param name="tracking">The tracking to apply, or null for the sender's copy.</param>
    public static MimeMessage Build(Message message, AppliedTracking? tracking)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(message.FromName, message.FromAddress));
        mime.To.AddRange(AddressFormat.Parse(message.To));
        mime.Cc.AddRange(AddressFormat.Parse(message.Cc));
        mime.Bcc.AddRange(AddressFormat.Parse(message.Bcc));
        mime.Subject = message.Subject;
        mime.MessageId = message.MessageIdHeader;
        mime.Date = message.SentAt is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : DateTimeOffset.UtcNow;
        if (!string.IsNullOrEmpty(message.InReplyTo))
        {
            mime.InReplyTo = message.InReplyTo;
            mime.References.Add(message.InReplyTo);
        }

        var body = new BodyBuilder { TextBody = message.TextBody };
        if (message.HtmlBody is not null)
        {
            body.HtmlBody = tracking is null
                ? message.HtmlBody
                : TrackingInjector.Apply(message.HtmlBody, tracking.BaseUrl, tracking.OpenToken, tracking.LinkTokens, tracking.HoneypotToken);
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>
    /// One recipient's own copy of a message tracked per recipient: the same visible headers for everyone (To, Cc), no Bcc
    /// header at all, and that recipient's tokens. Its envelope names the one recipient.
    /// </summary>
    public static MimeMessage BuildCopy(Message message, AppliedTracking tracking)
    {
        var mime = Build(message, tracking);
        mime.Bcc.Clear();
        return mime;
    }
}

/// <summary>The tokens of one message, as issued when it was queued.</summary>
/// <param name="HoneypotToken">The hidden honeypot link's token (link tracking on), or null.</param>
public sealed record AppliedTracking(string BaseUrl, string? OpenToken, IReadOnlyList<string>? LinkTokens, string? HoneypotToken = null);
