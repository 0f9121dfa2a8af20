namespace MailTracker.Tests.Infrastructure;

/// <summary>A real Dovecot for one test class (<c>IClassFixture&lt;DovecotServer&gt;</c>); see <see cref="DovecotProcess"/>.</summary>
public class DovecotServer : DovecotProcess, IAsyncLifetime
{
    public DovecotServer()
    {
    }

    protected DovecotServer(bool idle)
        : base(idle)
    {
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

/// <summary>A Dovecot that does not offer IDLE, so the sync has to poll.</summary>
public sealed class DovecotServerWithoutIdle() : DovecotServer(idle: false);
