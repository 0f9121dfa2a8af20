using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MailTracker.Core.Operations;

/// <summary>
/// Readiness of one background worker: unhealthy when its loop has ended (it crashed) or has not gone round for
/// longer than it ever should (it hangs); healthy when it is switched off by configuration.
/// </summary>
public sealed class WorkerHealthCheck<TWorker>(
    IEnumerable<IHostedService> hostedServices,
    WorkerHeartbeats heartbeats,
    TimeProvider time,
    WorkerExpectation expected) : IHealthCheck
    where TWorker : BackgroundService
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var worker = hostedServices.OfType<TWorker>().SingleOrDefault();
        if (worker is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("not registered"));
        }

        if (!expected.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("switched off"));
        }

        if (worker.ExecuteTask is { IsCompleted: true } ended)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("stopped", ended.Exception?.GetBaseException()));
        }

        var last = heartbeats.Last(expected.Name);
        if (last is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("starting"));
        }

        var quiet = time.GetUtcNow().UtcDateTime - last.Value;
        return Task.FromResult(quiet <= expected.MaxQuiet
            ? HealthCheckResult.Healthy("running")
            : HealthCheckResult.Unhealthy($"no round for {(int)quiet.TotalSeconds} s"));
    }
}

/// <summary>What a worker's readiness check expects of it: its heartbeat name, whether it runs, and its longest quiet spell.</summary>
public sealed record WorkerExpectation(string Name, bool Enabled, TimeSpan MaxQuiet);
