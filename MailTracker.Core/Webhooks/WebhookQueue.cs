using System.Text.Json;
using System.Text.Json.Serialization;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Webhooks;

/// <summary>One event as integrators receive it (the JSON body). Fields that do not apply to an event are left out.</summary>
public sealed record WebhookPayload
{
    /// <summary>The event's id, the same for every endpoint and every redelivery: receivers drop repeats by it (set when queued).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>When it happened (UTC): the hit's time, the send time, the reply's date.</summary>
    [JsonPropertyName("time")]
    public required DateTime Time { get; init; }

    [JsonPropertyName("messageId")]
    public required long MessageId { get; init; }

    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("from")]
    public string? From { get; init; }

    /// <summary>Who opened, clicked, replied or bounced, when known: the tracked copy's address, the only recipient, or the reply's sender.</summary>
    [JsonPropertyName("recipient")]
    public string? Recipient { get; init; }

    /// <summary>Who made the hit, as the verdict engine judged it (<c>human</c>, <c>image_proxy</c>, <c>privacy_proxy</c>, <c>scanner</c>, …).</summary>
    [JsonPropertyName("verdict")]
    public string? Verdict { get; init; }

    /// <summary>Whether the hit counts as an open or click in MailTracker's figures.</summary>
    [JsonPropertyName("counted")]
    public bool? Counted { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>The clicked link's original URL.</summary>
    [JsonPropertyName("link")]
    public string? Link { get; init; }

    /// <summary>Why the mail bounced (the server's answer).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>
/// Puts deliveries into the durable queue, as entities added to the caller's context so they are saved in the same
/// transaction as the fact they report (a fact is never reported without being stored, nor stored without its
/// deliveries). Enabled endpoints are cached for a few seconds (and forgotten when an admin changes one here), so the
/// tracking projector pays nothing per batch when no endpoint exists.
/// </summary>
public sealed class WebhookQueue(IDbContextFactory<MailTrackerDbContext> contextFactory, WebhookSignal signal, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private volatile Cached? _enabled;

    /// <summary>An enabled endpoint's choices, as the queue needs them.</summary>
    public sealed record Subscriber(int EndpointId, WebhookEvents Events, bool AllHits);

    private sealed record Cached(IReadOnlyList<Subscriber> Subscribers, DateTimeOffset ReadAt);

    public async ValueTask<IReadOnlyList<Subscriber>> EnabledAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_enabled is { } cached && now - cached.ReadAt < CacheFor && now >= cached.ReadAt)
        {
            return cached.Subscribers;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var list = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled)
            .Select(e => new Subscriber(e.Id, e.Events, e.AllHits)).ToListAsync(cancellationToken);
        _enabled = new Cached(list, now);
        return list;
    }

    /// <summary>Forgets the cached endpoints; the next fact reads them again.</summary>
    public void Invalidate() => _enabled = null;

    /// <summary>Whether any endpoint wants this kind of event (an open or click that did not count: one asking for all hits).</summary>
    public static bool Wanted(IReadOnlyList<Subscriber> subscribers, WebhookEvents kind, bool counted = true) =>
        subscribers.Any(s => Wants(s, kind, counted));

    /// <summary>
    /// Adds a delivery of <paramref name="payload"/> (given its event id here) per endpoint that wants it to
    /// <paramref name="db"/>, saved with the caller's changes. An open or click goes only to endpoints asking for all hits
    /// unless it counted. Returns how many were added.
    /// </summary>
    public int Enqueue(MailTrackerDbContext db, IReadOnlyList<Subscriber> subscribers, WebhookEvents kind, WebhookPayload payload)
    {
        var wanting = subscribers.Where(s => Wants(s, kind, payload.Counted ?? true)).ToList();
        if (wanting.Count == 0)
        {
            return 0;
        }

        payload = payload with { Id = Guid.NewGuid().ToString() };
        var body = JsonSerializer.Serialize(payload, WebhookPayload.Json);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var s in wanting)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = s.EndpointId,
                MessageId = payload.MessageId,
                EventId = payload.Id,
                EventType = payload.Type,
                Payload = body,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        return wanting.Count;
    }

    /// <summary>Wakes the dispatcher after the caller committed what it enqueued.</summary>
    public void Wake() => signal.Notify();

    private static bool Wants(Subscriber s, WebhookEvents kind, bool counted) =>
        (s.Events & kind) != 0 && (counted || s.AllHits || kind is not (WebhookEvents.MessageOpened or WebhookEvents.LinkClicked));
}

/// <summary>Wakes the webhook dispatcher when deliveries were queued.</summary>
public sealed class WebhookSignal : WakeSignal;
