using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace MailTracker.Core.Webhooks;

/// <summary>
/// Sends the queued webhook deliveries. Each pass takes the due heads — the earliest pending delivery of each endpoint's
/// message, so one message's events arrive in the order they happened — claims each with a lease (another instance on
/// the same database takes others), and POSTs it signed. Retries within a pass are Polly's (jittered exponential backoff,
/// a timeout per attempt); a pass that still failed waits <c>BackoffSeconds</c>, doubling, for the next. A 2xx answer
/// delivers; anything else, a redirect included (never followed), fails. An endpoint whose every attempt failed for
/// <c>DisableAfterHours</c> is disabled and its owner told in the bell. Rows are kept as the delivery log.
/// </summary>
public sealed partial class WebhookDispatcher(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    WebhookSignal signal,
    WebhookQueue queue,
    IUserPush push,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "MailTracker.Webhooks";

    /// <summary>Where the attempt counter rides on a request, for <see cref="WebhookAttemptCounter"/>.</summary>
    internal static readonly HttpRequestOptionsKey<StrongBox<int>> AttemptsKey = new("MailTracker.Webhooks.Attempts");

    // This instance's name on the deliveries it is sending (the column holds 64 characters).
    private readonly string _holder = StoredText.Cut($"{Guid.NewGuid():N}/{Environment.ProcessId}/{Environment.MachineName}", 64);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                var (sent, next) = await DispatchDueAsync(stoppingToken);
                if (sent > 0)
                {
                    continue; // the next events of the messages just delivered may be due now
                }

                if (next is { } due)
                {
                    var until = due - time.GetUtcNow().UtcDateTime;
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < poll ? until : poll;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database hiccupped: what is queued stays queued and goes on the next pass.
                LogPassFailed(ex);
            }

            if (!await signal.WaitAsync(wait, time, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>One pass: sends what is due now. Returns how many were delivered and when the next pending one is due.</summary>
    internal async Task<(int Delivered, DateTime? Next)> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<long> heads;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            heads = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now)
                            && db.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.Enabled)
                            && !db.WebhookDeliveries.Any(p => p.EndpointId == d.EndpointId && p.MessageId == d.MessageId
                                                              && p.State == WebhookDeliveryState.Pending && p.Id < d.Id))
                .OrderBy(d => d.Id)
                .Take(options.Value.Concurrency * 8)
                .Select(d => d.Id)
                .ToListAsync(cancellationToken);
        }

        var delivered = 0;
        var owners = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        await Parallel.ForEachAsync(
            heads,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                var (ok, owner) = await DeliverAsync(id, ct);
                if (ok)
                {
                    Interlocked.Increment(ref delivered);
                }

                if (owner is not null)
                {
                    owners[owner] = true;
                }
            });

        // The endpoints' owners see their delivery logs change live (Settings › Integrations), once per pass.
        foreach (var owner in owners.Keys)
        {
            try
            {
                await push.PushAsync(owner, new UserPushEvent(UserPushKinds.Integrations, null, null), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPushFailed(ex);
            }
        }

        await using var again = await contextFactory.CreateDbContextAsync(cancellationToken);
        var next = await again.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == WebhookDeliveryState.Pending && again.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.Enabled))
            .Select(d => (DateTime?)(d.LeaseUntil != null && d.LeaseUntil > d.NextAttemptAt ? d.LeaseUntil : d.NextAttemptAt))
            .MinAsync(cancellationToken);
        return (delivered, next);
    }

    /// <summary>Claims one delivery, sends it and records the outcome. Returns whether it was delivered, and the owner of its endpoint if it was tried.</summary>
    private async Task<(bool Delivered, string? Owner)> DeliverAsync(long id, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == id && d.State == WebhookDeliveryState.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseHolder, _holder).SetProperty(d => d.LeaseUntil, now.AddSeconds(o.LeaseSeconds)), cancellationToken);
        if (claimed == 0)
        {
            return (false, null); // another instance took it
        }

        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == id, cancellationToken);
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is not { Enabled: true })
        {
            delivery.LeaseHolder = null;
            delivery.LeaseUntil = null;
            await db.SaveChangesAsync(CancellationToken.None);
            return (false, null);
        }

        var attempts = new StrongBox<int>();
        int? status = null;
        string? error;
        try
        {
            var secret = secrets.Unprotect(endpoint.ProtectedSecret);
            var body = Encoding.UTF8.GetBytes(delivery.Payload);
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
            request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.EventId);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
            request.Options.Set(AttemptsKey, attempts);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
            // Only the status is kept: an answer's body is not shown back (the log must not become a way to read internal pages).
            error = response.IsSuccessStatusCode ? null
                : status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed; point the endpoint at the final URL."
                : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: hand it back now (it goes again after the restart; receivers drop repeats by the event id).
            await db.WebhookDeliveries.Where(d => d.Id == id && d.LeaseHolder == _holder)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseHolder, (string?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null).SetProperty(d => d.Attempts, d => d.Attempts + attempts.Value), CancellationToken.None);
            throw;
        }
        catch (TimeoutRejectedException)
        {
            error = $"No answer within {o.AttemptTimeoutSeconds} s.";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            error = "The signing secret cannot be read (the data protection keys changed): rotate the secret.";
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException or IOException)
        {
            error = ex.InnerException is { } inner && ex is HttpRequestException ? $"{ex.Message} ({inner.Message})" : ex.Message;
        }

        now = time.GetUtcNow().UtcDateTime;
        delivery.Attempts += Math.Max(1, attempts.Value);
        delivery.LastAttemptAt = now;
        delivery.LastStatus = status;
        delivery.LastError = error is null ? null : StoredText.Cut(error, WebhookDelivery.MaxErrorLength);
        delivery.LeaseHolder = null;
        delivery.LeaseUntil = null;
        if (error is null)
        {
            delivery.State = WebhookDeliveryState.Delivered;
            delivery.DeliveredAt = now;
            delivery.FailedPasses = 0;
            endpoint.FailingSince = null;
            await db.SaveChangesAsync(CancellationToken.None);
            return (true, endpoint.OwnerId);
        }

        delivery.FailedPasses++;
        var backoff = Math.Min(o.MaxBackoffSeconds, o.BackoffSeconds * Math.Pow(2, Math.Min(20, delivery.FailedPasses - 1)));
        delivery.NextAttemptAt = now.AddSeconds(backoff);
        endpoint.FailingSince ??= now;
        var disabled = false;
        if (endpoint.FailingSince <= now.AddHours(-o.DisableAfterHours))
        {
            endpoint.Enabled = false;
            endpoint.DisabledAt = now;
            disabled = true;
        }

        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The endpoint was deleted meanwhile: its deliveries went with it.
            return (false, null);
        }

        LogDeliveryFailed(endpoint.Id, delivery.Id, error);
        if (disabled)
        {
            // The owner's bell says so (the pass's push to the owner carries it).
            queue.Invalidate();
            LogDisabled(endpoint.Id, o.DisableAfterHours);
        }

        return (false, endpoint.OwnerId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook pass failed; it will run again")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed: {Error}")]
    private partial void LogDeliveryFailed(int endpointId, long deliveryId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: every delivery failed for {Hours} hours")]
    private partial void LogDisabled(int endpointId, int hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling an endpoint's owner about its deliveries failed")]
    private partial void LogPushFailed(Exception exception);
}

/// <summary>Counts the HTTP requests a delivery made (it sits inside the retry handler, so it sees every attempt).</summary>
internal sealed class WebhookAttemptCounter : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(WebhookDispatcher.AttemptsKey, out var box))
        {
            Interlocked.Increment(ref box.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
