namespace MailTracker.Core.Sync;

/// <summary>
/// This app instance's name in mailbox sync leases: the host, the process and a random part, so two instances never
/// share one (not even two in one process).
/// </summary>
public sealed class SyncInstance
{
    public string Id { get; } = $"{Truncate(Environment.MachineName, 60)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
