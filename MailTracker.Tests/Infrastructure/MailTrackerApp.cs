using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// The real app on real Kestrel (a free loopback port), with its own SQLite file and its own sandbox mail
/// server. One per test class; disposed with it.
/// </summary>
public class MailTrackerApp : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-test-").FullName;
    private readonly Dictionary<string, string?> _settings = new();
    private bool _started;
    private TimeProvider? _clock;
    private LogCapture? _logs;

    public MailTrackerApp()
    {
        Port = FreePort.Next();
        SandboxPort = FreePort.Next();
        DatabasePath = Path.Combine(_folder, "mailtracker.db");
        Set("Database:ConnectionString", $"Data Source={DatabasePath}");
        Set("Sandbox:Enabled", "true");
        Set("Sandbox:Port", SandboxPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("Outbox:PollSeconds", "1");
        Set("Outbox:RetryDelaySeconds", "1");
        // The e2e tests open mail right after sending; the delivery-time windows are unit-tested separately.
        // Test hits come from loopback moments after the send: no delivery delay, and verdicts that settle within a second.
        Set("Tracking:Verdicts:MinDeliverySeconds", "0");
        Set("Tracking:Verdicts:SettleWindowSeconds", "1");
        Set("Tracking:Verdicts:BurstWindowSeconds", "1");
        Set("Tracking:RecordLimitPerMinutePerIp", "0");
        // Every test signs in from 127.0.0.1; the sign-in throttle has its own test.
        Set("SignIn:AttemptsPerMinutePerAddress", "0");
        Set("Logging:LogLevel:Default", "Warning");
    }

    public int Port { get; }

    public int SandboxPort { get; }

    public string DatabasePath { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Overrides a configuration key; call before <see cref="Start"/>.</summary>
    public MailTrackerApp Set(string key, string? value)
    {
        if (_started)
        {
            throw new InvalidOperationException("Settings must be made before the app starts.");
        }

        _settings[key] = value;
        return this;
    }

    /// <summary>Replaces the app's clock (e.g. a FakeTimeProvider); call before <see cref="Start"/>.</summary>
    public MailTrackerApp UseClock(TimeProvider clock)
    {
        _clock = clock;
        return this;
    }

    /// <summary>Keeps every log entry (Information and up) in memory; call before <see cref="Start"/>.</summary>
    public LogCapture CaptureLogs()
    {
        Set("Logging:LogLevel:Default", "Information");
        return _logs = new LogCapture();
    }

    /// <summary>Starts the server (once) and returns this app.</summary>
    public MailTrackerApp Start()
    {
        if (!_started)
        {
            _started = true;
            UseKestrel(Port);
            StartServer();
        }

        return this;
    }

    public T Service<T>()
        where T : notnull => Start().Services.GetRequiredService<T>();

    public async Task<MailTrackerDbContext> DbAsync() =>
        await Service<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Waits until the projector has turned every answered hit into events, summaries and bell entries, and every
    /// provisional verdict has settled (the endpoints answer once a hit is in the intake; what users see follows).
    /// </summary>
    public Task ProjectedAsync() =>
        Eventually.TrueAsync(async () =>
        {
            if (await Service<MailTracker.Core.Tracking.Projection.TrackingProjector>().BacklogAsync() != 0)
            {
                return false;
            }

            await using var db = await DbAsync();
            return !await db.TrackingEvents.AnyAsync(e => !e.Settled);
        }, "the tracking projection to catch up and its verdicts to settle");

    /// <summary>Creates a user with a sandbox mailbox, as /setup or the team page would.</summary>
    public async Task<AppUser> CreateUserAsync(string email, string password = TestUsers.Password, string name = "Test User", string role = Roles.Admin)
    {
        await using var scope = Start().Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var result = await accounts.CreateAsync(name, email, password, role);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        scope.ServiceProvider.GetRequiredService<FirstRunState>().MarkHasUsers();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        return (await users.FindByEmailAsync(email))!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        if (_logs is { } logs)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
        }
    }
}

public static class TestUsers
{
    public const string Password = "Passw0rd!";
}
