using System.Diagnostics;
using MailTracker.Core.Sync;

namespace MailTracker.Tests.Sync;

/// <summary>
/// Which lease holders an instance may take a mailbox from at once: those on this host whose process is gone. A process
/// is known by its id and when it started, so a reused id does not keep a dead holder's lease alive.
/// </summary>
public sealed class SyncInstanceTests
{
    private readonly SyncInstance _instance = new();
    private static readonly long ThisProcessStarted = SyncInstance.StartedAt(Process.GetCurrentProcess());

    private static string Holder(int pid, long started, string? host = null) =>
        $"{host ?? Environment.MachineName}/{pid}/{started}/{Guid.NewGuid():N}";

    [Fact]
    public void AHolderWithThisProcessIdThatStartedEarlierIsGone()
    {
        // A container whose app is always PID 1, restarted after a crash: same host, same id, another process.
        Assert.True(_instance.IsDeadLocal(Holder(Environment.ProcessId, ThisProcessStarted - 3600)));
    }

    [Fact]
    public void AnotherInstanceInThisProcessIsAlive()
    {
        Assert.False(_instance.IsDeadLocal(new SyncInstance().Id));
        Assert.False(_instance.IsDeadLocal(Holder(Environment.ProcessId, ThisProcessStarted)));
    }

    [Fact]
    public async Task AHolderWhoseProcessIdNowBelongsToAnotherProcessIsGone()
    {
        using var running = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var started = SyncInstance.StartedAt(running);
            Assert.False(_instance.IsDeadLocal(Holder(running.Id, started)));
            Assert.True(_instance.IsDeadLocal(Holder(running.Id, started - 3600)));
        }
        finally
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        Assert.True(_instance.IsDeadLocal(Holder(running.Id, SyncInstance.StartedAt(Process.GetCurrentProcess()))));
    }

    [Fact]
    public void AHolderOnAnotherHostIsNeverTakenForGone()
    {
        Assert.False(_instance.IsDeadLocal(Holder(int.MaxValue, 1, host: "another-host")));
    }
}
