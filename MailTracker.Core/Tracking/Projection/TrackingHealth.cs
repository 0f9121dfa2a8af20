using System.Diagnostics.Metrics;
using MailTracker.Core.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// How far the projection is behind the intake, for <c>/healthz/ready</c> ("tracking") and the metrics: the backlog
/// (answered hits not yet on screen) and the projection lag (how old the oldest hit of the last batch was when it
/// was read). Degraded past 10,000 waiting hits or a minute of lag; unhealthy when the projector stopped moving
/// while hits wait.
/// </summary>
public sealed class TrackingHealthCheck(TrackingProjector projector, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await projector.BacklogAsync(cancellationToken);
        var lag = projector.LagSeconds;
        var data = new Dictionary<string, object> { ["backlog"] = backlog, ["lagSeconds"] = Math.Round(lag, 3) };
        var idleFor = time.GetUtcNow().UtcDateTime - projector.LastProgressAt;
        if (backlog > 0 && idleFor > TimeSpan.FromMinutes(2))
        {
            return HealthCheckResult.Unhealthy($"{backlog} hits wait and the projector has not moved for {idleFor.TotalSeconds:0} s", data: data);
        }

        return backlog > 10_000 || lag > 60
            ? HealthCheckResult.Degraded($"projection behind: {backlog} hits waiting, {lag:0.#} s lag", data: data)
            : HealthCheckResult.Healthy($"{backlog} hits waiting, {lag:0.###} s lag", data);
    }
}

/// <summary>The tracking instruments on MailTracker's meter: hits by verdict, the intake backlog and the projection lag.</summary>
public sealed class TrackingMetrics
{
    private readonly Counter<long> _hits;

    public TrackingMetrics(MailTrackerMetrics metrics, IServiceProvider services)
    {
        _hits = metrics.Meter.CreateCounter<long>("mailtracker.tracking.hits", unit: "{hit}",
            description: "Tracking hits whose verdict settled, by verdict and whether they counted.");
        metrics.Meter.CreateObservableGauge("mailtracker.tracking.projection_lag", () => Projector(services).LagSeconds, unit: "s",
            description: "How old the oldest hit of the projector's last batch was when it was read.");
        metrics.Meter.CreateObservableGauge("mailtracker.tracking.intake_backlog", () => Projector(services).LastBacklog, unit: "{hit}",
            description: "Answered hits not yet projected, as of the projector's last batch.");
    }

    public void RecordSettled(Verdicts.Verdict verdict, bool counted) =>
        _hits.Add(1, new KeyValuePair<string, object?>("verdict", verdict.ToString()), new KeyValuePair<string, object?>("counted", counted));

    // Resolved late: the projector itself records through this class.
    private static TrackingProjector Projector(IServiceProvider services) =>
        (TrackingProjector)services.GetService(typeof(TrackingProjector))!;
}
