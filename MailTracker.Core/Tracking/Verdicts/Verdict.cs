using System.Net;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>
/// Who caused a tracking hit, as the verdict engine judges it, stored with every event. Only <see cref="Human"/> and
/// <see cref="ImageProxy"/> count (and <see cref="Reply"/>, which is evidence from sync, not a hit). The numbers are
/// stored: never reorder them.
/// </summary>
public enum Verdict
{
    /// <summary>A person: a recipient or someone they forwarded the mail to. Counted.</summary>
    Human = 0,

    /// <summary>A webmail image proxy (Gmail, Yahoo) fetching when the reader opens the mail. Counted.</summary>
    ImageProxy = 1,

    /// <summary>Apple Mail Privacy Protection fetching whether or not the mail is read. Not counted.</summary>
    PrivacyProxy = 2,

    /// <summary>A gateway, link checker, preview bot or HTTP library. Not counted.</summary>
    Scanner = 3,

    /// <summary>The sender's own view. Never counted.</summary>
    Sender = 4,

    /// <summary>Not a hit: a reply to the message arrived (found by IMAP sync), which proves it was read.</summary>
    Reply = 5,

    /// <summary>Gmail's send-time prefetch. Not counted.</summary>
    Prefetch = 6,

    /// <summary>The evidence conflicts or is missing. Not counted.</summary>
    Unknown = 7,
}

/// <summary>What kind of client made a hit.</summary>
public enum ClientClass
{
    /// <summary>A desktop mail client or a desktop browser.</summary>
    Desktop,

    /// <summary>A mail app or browser on a phone or tablet.</summary>
    Mobile,

    /// <summary>A webmail page rendering the pixel in a browser.</summary>
    Webmail,

    /// <summary>A proxy fetching for the reader (Gmail, Yahoo, Apple).</summary>
    Proxy,

    /// <summary>A machine: scanner, bot, library.</summary>
    Machine,

    /// <summary>Not known.</summary>
    Unknown,
}

/// <summary>One of the sender's signed-in sessions, remembered for a while: the address and user agent it used.</summary>
public sealed record SenderSession(IPAddress Ip, string UserAgent);

/// <summary>What the verdict engine needs to know about the message a hit belongs to.</summary>
/// <param name="SentAt">When the message was sent (UTC); null if unknown.</param>
/// <param name="LinksInMessage">How many visible tracked links the message has.</param>
/// <param name="RecipientsInMessage">How many recipients (To and Cc) share the message's token.</param>
/// <param name="SenderSessions">The sender's recently remembered sessions.</param>
public sealed record MessageContext(
    DateTime? SentAt,
    int LinksInMessage,
    int RecipientsInMessage,
    IReadOnlyList<SenderSession> SenderSessions);

/// <summary>One tracking hit as the engine sees it.</summary>
/// <param name="Kind">Open (pixel) or click.</param>
/// <param name="Method">The HTTP method, <c>GET</c> or <c>HEAD</c>.</param>
/// <param name="UserAgent">The user agent; null or empty when the header was absent.</param>
/// <param name="Ip">The real client address, when known.</param>
/// <param name="At">When the hit arrived (UTC).</param>
/// <param name="LinkIndex">For a click, the link's position in the body (0-based, document order).</param>
/// <param name="Hidden">The click followed the hidden honeypot link.</param>
/// <param name="SenderCookie">The request carried the sender's own sign-in cookie.</param>
public sealed record HitInput(
    TrackingKind Kind,
    string Method,
    string? UserAgent,
    IPAddress? Ip,
    DateTime At,
    int? LinkIndex,
    bool Hidden,
    bool SenderCookie);

/// <summary>The engine's answer for one hit.</summary>
/// <param name="Verdict">Who caused it.</param>
/// <param name="Counted">Whether it counts as an open or click.</param>
/// <param name="Reason">A short English reason, shown on the message's timeline.</param>
/// <param name="ClientClass">What kind of client made it.</param>
/// <param name="Settled">False while later hits of the message could still change the verdict.</param>
public sealed record JudgedHit(Verdict Verdict, bool Counted, string Reason, ClientClass ClientClass, bool Settled);
