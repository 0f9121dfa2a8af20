using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Webhooks;

/// <summary>Why an endpoint could not be saved, as codes the UI words in the user's language.</summary>
public enum WebhookError
{
    None,
    UrlRequired,

    /// <summary>Not an absolute http:// or https:// URL.</summary>
    UrlInvalid,

    /// <summary>It carries a user name or password (<c>https://user:pass@host</c>): secrets belong in the signature.</summary>
    UrlHasCredentials,
    UrlTooLong,
    NoEvents,

    /// <summary>No such endpoint, or the caller is not an active admin.</summary>
    NotFound,
}

public sealed record WebhookEndpointView(
    int Id, string Url, WebhookEvents Events, bool AllHits, bool Enabled, DateTime? DisabledAt, DateTime? FailingSince, DateTime CreatedAt, int Pending);

public sealed record WebhookDeliveryView(
    long Id, long MessageId, string EventId, string EventType, WebhookDeliveryState State, int Attempts, int? LastStatus, string? LastError,
    DateTime CreatedAt, DateTime? LastAttemptAt, DateTime? DeliveredAt, DateTime NextAttemptAt);

/// <summary>The outcome of a change; <see cref="Secret"/> is set once, when a secret was made (add, rotate).</summary>
public sealed record WebhookResult(WebhookError Error, int? Id = null, string? Secret = null)
{
    public bool Succeeded => Error == WebhookError.None;
}

/// <summary>
/// Settings › Integrations: the workspace's webhook endpoints, which only active admins see and change (anyone else gets
/// nothing, as if none existed). Secrets are made here, shown once, and kept only encrypted.
/// </summary>
public sealed class WebhookEndpoints(
    IDbContextFactory<MailTrackerDbContext> contextFactory, WebhookSecrets secrets, WebhookQueue queue, WebhookSignal signal, TimeProvider time)
{
    public const int LogPageSize = 50;

    public async Task<IReadOnlyList<WebhookEndpointView>?> ListAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return null;
        }

        return await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id)
            .Select(e => new WebhookEndpointView(e.Id, e.Url, e.Events, e.AllHits, e.Enabled, e.DisabledAt, e.FailingSince, e.CreatedAt,
                db.WebhookDeliveries.Count(d => d.EndpointId == e.Id && d.State == WebhookDeliveryState.Pending)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many endpoints receive the workspace's events: every user is told (their mail's events leave the workspace).</summary>
    public async Task<int> EnabledCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookEndpoints.CountAsync(e => e.Enabled, cancellationToken);
    }

    /// <summary>Endpoints this user added that were disabled for failing: the bell tells them until they act.</summary>
    public async Task<IReadOnlyList<string>> DisabledForFailingAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookEndpoints.AsNoTracking().Where(e => e.OwnerId == userId && !e.Enabled && e.DisabledAt != null)
            .OrderBy(e => e.Id).Select(e => e.Url).ToListAsync(cancellationToken);
    }

    public async Task<WebhookResult> AddAsync(string actorId, string url, WebhookEvents events, bool allHits, CancellationToken cancellationToken = default)
    {
        var (error, normalized) = Validate(url, events);
        if (error != WebhookError.None)
        {
            return new WebhookResult(error);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return new WebhookResult(WebhookError.NotFound);
        }

        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            OwnerId = actorId,
            Url = normalized!,
            Events = events & WebhookEvents.All,
            AllHits = allHits,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        queue.Invalidate();
        return new WebhookResult(WebhookError.None, endpoint.Id, secret);
    }

    public async Task<WebhookResult> UpdateAsync(string actorId, int id, string url, WebhookEvents events, bool allHits, bool enabled, CancellationToken cancellationToken = default)
    {
        var (error, normalized) = Validate(url, events);
        if (error != WebhookError.None)
        {
            return new WebhookResult(error);
        }

        return await ChangeAsync(actorId, id, e =>
        {
            e.Url = normalized!;
            e.Events = events & WebhookEvents.All;
            e.AllHits = allHits;
            if (enabled && !e.Enabled)
            {
                // Switched on again: it starts with a clean slate, and its queued deliveries go now.
                e.FailingSince = null;
                e.DisabledAt = null;
            }
            else if (!enabled)
            {
                e.DisabledAt = null; // switched off by an admin, not for failing: the bell has nothing to say
            }

            e.Enabled = enabled;
            return null;
        }, cancellationToken);
    }

    /// <summary>A new secret, in force at once (the old one stops verifying): shown once in the result.</summary>
    public Task<WebhookResult> RotateSecretAsync(string actorId, int id, CancellationToken cancellationToken = default)
    {
        var secret = WebhookSignature.NewSecret();
        return ChangeAsync(actorId, id, e =>
        {
            e.ProtectedSecret = secrets.Protect(secret);
            return secret;
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string actorId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return false;
        }

        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        queue.Invalidate();
        return deleted;
    }

    /// <summary>An endpoint's delivery log, newest first (<paramref name="before"/>: the last id of the previous page).</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>?> DeliveriesAsync(string actorId, int endpointId, long? before = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken) || !await db.WebhookEndpoints.AnyAsync(e => e.Id == endpointId, cancellationToken))
        {
            return null;
        }

        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.EndpointId == endpointId && (before == null || d.Id < before))
            .OrderByDescending(d => d.Id).Take(LogPageSize)
            .Select(d => new WebhookDeliveryView(d.Id, d.MessageId, d.EventId, d.EventType, d.State, d.Attempts, d.LastStatus, d.LastError,
                d.CreatedAt, d.LastAttemptAt, d.DeliveredAt, d.NextAttemptAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a delivery again: a pending one now (its backoff is skipped); a delivered one as a new delivery of the same
    /// event (same id and body, signed anew), queued after that message's pending ones so the order per message holds.
    /// </summary>
    public async Task<bool> RedeliverAsync(string actorId, long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return false;
        }

        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (delivery.State == WebhookDeliveryState.Pending)
        {
            delivery.NextAttemptAt = now;
        }
        else
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = delivery.EndpointId,
                MessageId = delivery.MessageId,
                EventId = delivery.EventId,
                EventType = delivery.EventType,
                Payload = delivery.Payload,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return true;
    }

    /// <summary>Checks an endpoint's URL and events; returns the URL as it will be called.</summary>
    public static (WebhookError Error, string? Url) Validate(string? url, WebhookEvents events)
    {
        url = url?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return (WebhookError.UrlRequired, null);
        }

        if (url.Length > WebhookEndpoint.MaxUrlLength)
        {
            return (WebhookError.UrlTooLong, null);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return (WebhookError.UrlInvalid, null);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return (WebhookError.UrlHasCredentials, null);
        }

        if ((events & WebhookEvents.All) == WebhookEvents.None)
        {
            return (WebhookError.NoEvents, null);
        }

        return (WebhookError.None, uri.AbsoluteUri);
    }

    private async Task<WebhookResult> ChangeAsync(string actorId, int id, Func<WebhookEndpoint, string?> change, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return new WebhookResult(WebhookError.NotFound);
        }

        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return new WebhookResult(WebhookError.NotFound);
        }

        var secret = change(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        queue.Invalidate();
        signal.Notify();
        return new WebhookResult(WebhookError.None, endpoint.Id, secret);
    }
}
