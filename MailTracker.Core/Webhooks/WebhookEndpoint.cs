namespace MailTracker.Core.Webhooks;

/// <summary>The events an endpoint can subscribe to (stored as flags).</summary>
[Flags]
public enum WebhookEvents
{
    None = 0,
    MessageSent = 1,
    MessageOpened = 2,
    LinkClicked = 4,
    MessageReplied = 8,
    MessageBounced = 16,
    All = MessageSent | MessageOpened | LinkClicked | MessageReplied | MessageBounced,
}

/// <summary>The event names integrators see in the payload's <c>type</c> and the <c>X-MailTracker-Event</c> header.</summary>
public static class WebhookEventNames
{
    public const string MessageSent = "message.sent";
    public const string MessageOpened = "message.opened";
    public const string LinkClicked = "link.clicked";
    public const string MessageReplied = "message.replied";
    public const string MessageBounced = "message.bounced";

    public static readonly IReadOnlyList<(WebhookEvents Event, string Name)> All =
    [
        (WebhookEvents.MessageSent, MessageSent),
        (WebhookEvents.MessageOpened, MessageOpened),
        (WebhookEvents.LinkClicked, LinkClicked),
        (WebhookEvents.MessageReplied, MessageReplied),
        (WebhookEvents.MessageBounced, MessageBounced),
    ];

    public static string Of(WebhookEvents e) => All.Single(a => a.Event == e).Name;
}

/// <summary>An integrator's URL that receives signed event deliveries. Created and changed by admins only.</summary>
public class WebhookEndpoint
{
    public const int MaxUrlLength = 2000;

    public int Id { get; set; }

    /// <summary>The admin who added it: told in the bell when it is disabled.</summary>
    public required string OwnerId { get; set; }

    public required string Url { get; set; }

    public WebhookEvents Events { get; set; }

    /// <summary>Send every settled open and click, not only the counted ones (scanners, proxies, the sender's own).</summary>
    public bool AllHits { get; set; }

    /// <summary>The signing secret, encrypted with Data Protection like mailbox passwords (keys kept apart from the data).</summary>
    public required string ProtectedSecret { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Since when every delivery attempt failed (null once one succeeds).</summary>
    public DateTime? FailingSince { get; set; }

    /// <summary>Set when it was disabled for failing too long (null when an admin switched it off, or it is on).</summary>
    public DateTime? DisabledAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
