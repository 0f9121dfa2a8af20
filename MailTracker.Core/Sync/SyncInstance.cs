using System.Diagnostics;

namespace MailTracker.Core.Sync;

/// <summary>
/// This app instance's name in mailbox sync leases: the host, the process (its id and when it started) and a random
/// part, so two instances never share one (not even two in one process).
/// </summary>
public sealed class SyncInstance
{
    private readonly string _host = Truncate(Environment.MachineName, 60);
    private readonly long _started = StartedAt(Process.GetCurrentProcess());

    public SyncInstance()
    {
        Id = $"{_host}/{Environment.ProcessId}/{_started}/{Guid.NewGuid():N}";
    }

    public string Id { get; }

    /// <summary>
    /// Whether <paramref name="holder"/> was an instance on this host whose process is gone (killed, crashed): its lease
    /// need not run out before this instance takes the mailbox over. A process is known by its id and when it started,
    /// so a process that reuses an old id is not mistaken for the holder — as when a container's app, always PID 1,
    /// restarts after a crash. A holder in this very process is alive: several instances may run in one process.
    /// </summary>
    public bool IsDeadLocal(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length is not (3 or 4) || parts[0] != _host || !int.TryParse(parts[1], out var pid) || holder == Id)
        {
            return false;
        }

        // Names written before the start time was part of them: the process id alone.
        long? started = parts.Length == 4 && long.TryParse(parts[2], out var seconds) ? seconds : null;
        if (pid == Environment.ProcessId)
        {
            return started is { } at && !SameStart(at, _started);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || (started is { } at && !SameStart(at, StartedAt(process)));
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            // It exited between the lookup and the question.
            return true;
        }
    }

    /// <summary>When a process started, in Unix seconds.</summary>
    internal static long StartedAt(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    // The start time is derived from the boot time each time it is read, so allow for a second of rounding.
    private static bool SameStart(long a, long b) => Math.Abs(a - b) <= 1;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
