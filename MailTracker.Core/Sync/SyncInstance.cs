using System.Diagnostics;

namespace MailTracker.Core.Sync;

/// <summary>
/// This app instance's name in mailbox sync leases: the host, the process and a random part, so two instances never
/// share one (not even two in one process).
/// </summary>
public sealed class SyncInstance
{
    private readonly string _host = Truncate(Environment.MachineName, 60);

    public SyncInstance()
    {
        Id = $"{_host}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    public string Id { get; }

    /// <summary>
    /// Whether <paramref name="holder"/> was an instance on this host whose process is gone (killed, crashed): its lease
    /// need not run out before this instance takes the mailbox over. (A holder with this process's own PID is taken for
    /// alive: several instances may run in one process. In a container whose app is always PID 1, a restart therefore
    /// waits for the lease to run out.)
    /// </summary>
    public bool IsDeadLocal(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length != 3 || parts[0] != _host || !int.TryParse(parts[1], out var pid) || holder == Id)
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
