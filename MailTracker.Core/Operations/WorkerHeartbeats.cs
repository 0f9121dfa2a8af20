using System.Collections.Concurrent;

namespace MailTracker.Core.Operations;

/// <summary>When each background worker last went round its loop; read by the readiness checks.</summary>
public sealed class WorkerHeartbeats(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTime> _beats = new();

    public void Beat(string worker) => _beats[worker] = time.GetUtcNow().UtcDateTime;

    public DateTime? Last(string worker) => _beats.TryGetValue(worker, out var at) ? at : null;
}
