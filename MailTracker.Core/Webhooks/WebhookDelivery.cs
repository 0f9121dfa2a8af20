namespace MailTracker.Core.Webhooks;

public enum WebhookDeliveryState
{
    Pending = 0,
    Delivered = 1,
}

/// <summary>
/// One event for one endpoint: a durable queue row, written in the transaction that records the fact, and sent by
/// <see cref="WebhookDispatcher"/> until the receiver answers 2xx. Its fields are the delivery log the admin sees.
/// </summary>
public class WebhookDelivery
{
    public const int MaxErrorLength = 500;

    public long Id { get; set; }

    public int EndpointId { get; set; }

    /// <summary>Deliveries of one message to one endpoint go out in id order, one at a time.</summary>
    public long MessageId { get; set; }

    /// <summary>The event's id (the same for every endpoint): receivers drop a repeat by it, since delivery is at least once.</summary>
    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The JSON body, fixed when the fact happened (a redelivery sends the same bytes, newly signed).</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryState State { get; set; }

    /// <summary>HTTP requests made for it so far (retries included).</summary>
    public int Attempts { get; set; }

    /// <summary>Passes in a row that ended without a 2xx: the wait before the next doubles with each.</summary>
    public int FailedPasses { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public int? LastStatus { get; set; }

    public string? LastError { get; set; }

    public string? LeaseHolder { get; set; }

    public DateTime? LeaseUntil { get; set; }
}
