namespace MailTracker.Tests.Infrastructure;

/// <summary>The app with a quick sync rhythm: Sent and flags looked at every second, failures retried after one.</summary>
public sealed class SyncApp : MailTrackerApp
{
    public SyncApp()
    {
        Set("Sync:PollSeconds", "1");
        Set("Sync:RetryDelaySeconds", "1");
        Set("Sync:MaxRetryDelaySeconds", "2");
        Set("Sync:TimeoutSeconds", "15");
    }
}
