using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Contacts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Operations;
using MailTracker.Core.Sandbox;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Core.Tracking.Projection;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace MailTracker.Core;

public static class DependencyInjection
{
    /// <summary>Registers MailTracker's domain: the database, identity stores, sending, tracking, contacts, IMAP sync, the sandbox mail server.</summary>
    public static IHostApplicationBuilder AddMailTrackerCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // First of all hosted services: the database is migrated before anything else starts.
        services.AddHostedService<DatabaseMigrator>();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || IsHttpUrl(o.PublicBaseUrl),
                "Tracking:PublicBaseUrl must be an absolute http:// or https:// URL, e.g. https://track.example.com.")
            .ValidateOnStart();
        services.AddOptions<VerdictOptions>().BindConfiguration(VerdictOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.SettleWindowSeconds >= o.BurstWindowSeconds,
                "Tracking:Verdicts:SettleWindowSeconds must not be less than Tracking:Verdicts:BurstWindowSeconds.")
            .ValidateOnStart();
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip),
                "Sandbox:Host must be a loopback address such as 127.0.0.1.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FollowUps.FollowUpOptions>().BindConfiguration(FollowUps.FollowUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Webhooks.WebhookOptions>().BindConfiguration(Webhooks.WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Privacy.PrivacyOptions>().BindConfiguration(Privacy.PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxRetryDelaySeconds >= o.RetryDelaySeconds, "Sync:MaxRetryDelaySeconds must not be less than Sync:RetryDelaySeconds.")
            .ValidateOnStart();

        services.AddOptions<MailboxOAuthOptions>().BindConfiguration(MailboxOAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailboxOAuthOptions>, MailboxOAuthOptionsValidation>();

        services.TryAddSingleton(TimeProvider.System);

        var contentRoot = builder.Environment.ContentRootPath;
        services.AddDbContextFactory<MailTrackerDbContext>((sp, options) =>
            ConfigureDatabase(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));
        AddHealthChecks(services);

        builder.AddMailTrackerDataProtection();

        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MailTrackerDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddSingleton<FirstRunState>();
        services.AddScoped<UserAccounts>();
        services.AddSingleton<TeamMembers>();
        services.AddSingleton<UserProfiles>();
        services.AddSingleton<WorkspacePlans>();
        services.AddSingleton<MailboxSecrets>();
        services.AddHttpClient(OAuthTokenClient.HttpClientName);
        services.AddSingleton<OAuthTokenClient>();
        services.AddSingleton<MailboxOAuthProviders>();
        services.AddSingleton<MailboxCredentials>();
        services.AddSingleton<MailboxOAuthFlow>();

        services.AddSingleton<MailTrackerMetrics>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxService>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<OutboxProcessor>();
        services.AddHostedService<OutboxWorker>();
        services.AddSingleton<FollowUpSignal>();
        services.AddSingleton<FollowUps.FollowUpReminders>();
        services.AddSingleton<FollowUps.FollowUpProcessor>();
        services.AddHostedService<FollowUps.FollowUpWorker>();
        AddWebhooks(services);

        services.AddSingleton<IpAnonymizer>();
        services.AddSingleton<SenderSessions>();
        services.AddSingleton(sp => VerdictReferenceData.Load(
            VerdictRangesDirectory(sp.GetRequiredService<IOptions<VerdictOptions>>().Value, contentRoot),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<VerdictReferenceData>>()));
        services.AddSingleton<VerdictEngine>();
        services.AddSingleton<TrackingBaseUrl>();
        services.AddSingleton<TokenIndex>();
        services.AddSingleton<ProjectionSignal>();
        services.AddSingleton<SqliteCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        services.AddSingleton<ITrackingIntake>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql
            ? ActivatorUtilities.CreateInstance<PostgreSqlTrackingIntake>(sp)
            : ActivatorUtilities.CreateInstance<SqliteTrackingIntake>(sp));
        services.AddSingleton<IntakeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddSingleton<TrackingMetrics>();
        services.AddSingleton<TrackingProjector>();
        services.AddHealthChecks().AddCheck<TrackingHealthCheck>(HealthChecks.Tracking);
        services.AddHostedService(sp => sp.GetRequiredService<TrackingProjector>());

        services.AddSingleton<MailSyncSignal>();
        services.AddSingleton<ImapConnector>();
        services.AddSingleton<MailboxConnectionTester>();
        services.AddSingleton<MailboxConnections>();
        services.AddSingleton<TrackingPreferences>();
        services.AddSingleton<SyncStore>();
        services.AddSingleton<SyncInstance>();
        services.AddSingleton<FolderSynchronizer>();
        services.AddSingleton<AccountSynchronizer>();
        services.AddSingleton<IMailboxWake>(sp => sp.GetRequiredService<MailSyncSignal>());
        services.AddHostedService<MailSyncWorker>();

        services.AddSingleton<MailboxQueries>();
        services.AddSingleton<Insights.InsightsQueries>();
        services.AddSingleton<Templates.TemplateLibrary>();
        services.AddSingleton<Privacy.RawTrackingData>();
        services.AddSingleton<Privacy.WorkspacePrivacy>();
        services.AddHostedService<Privacy.RawDataPurgeWorker>();
        services.AddSingleton<ContactBook>();
        services.AddSingleton<DealPipeline>();
        services.AddSingleton<EmailHistory>();
        services.AddSingleton<NotificationCenter>();
        services.AddSingleton<NotificationRules>();
        services.AddSingleton<SandboxMailbox>();
        services.AddHostedService<SandboxMailServer>();
        return builder;
    }

    /// <summary>Where refreshed verdict range files live: <c>Tracking:Verdicts:RangesDirectory</c>, under the content root when relative.</summary>
    public static string? VerdictRangesDirectory(VerdictOptions options, string contentRoot) =>
        string.IsNullOrWhiteSpace(options.RangesDirectory) ? null : Path.GetFullPath(options.RangesDirectory, contentRoot);

    /// <summary>Webhooks: the queue, the admin service, the signed HTTP client (Polly retries inside, no redirects) and the dispatcher.</summary>
    private static void AddWebhooks(IServiceCollection services)
    {
        services.AddSingleton<Webhooks.WebhookSignal>();
        services.AddSingleton<Webhooks.WebhookSecrets>();
        services.AddSingleton<Webhooks.WebhookQueue>();
        services.AddSingleton<Webhooks.WebhookEndpoints>();
        services.AddTransient<Webhooks.WebhookAttemptCounter>();
        var http = services.AddHttpClient(Webhooks.WebhookDispatcher.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout (below)
                client.DefaultRequestHeaders.UserAgent.ParseAdd("MailTracker-Webhooks/1.0");
            })
            // Requests go only where an admin pointed them: a redirect is an answer (a failure), never followed.
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        http.AddResilienceHandler("webhook", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<Webhooks.WebhookOptions>>().Value;
            if (o.RetryAttempts > 0)
            {
                pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.RetryAttempts,
                    Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                });
            }

            pipeline.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
        });
        // Inside the retries: it counts every attempt for the delivery log.
        http.AddHttpMessageHandler<Webhooks.WebhookAttemptCounter>();
        services.AddSingleton<Webhooks.WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Webhooks.WebhookDispatcher>());
    }

    /// <summary>Liveness (this process answers) and readiness (the database and the background workers); see <see cref="HealthChecks"/>.</summary>
    private static void AddHealthChecks(IServiceCollection services)
    {
        services.AddSingleton<WorkerHeartbeats>();
        services.AddHealthChecks()
            .AddCheck(HealthChecks.Self, () => HealthCheckResult.Healthy("running"), tags: [HealthChecks.Live])
            .AddDbContextCheck<MailTrackerDbContext>(HealthChecks.Database)
            .Add(WorkerCheck<OutboxWorker>(HealthChecks.Outbox, sp =>
            {
                var outbox = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
                // A pass sends up to 20 messages, each within the SMTP timeout, before the loop comes round again.
                return new WorkerExpectation(OutboxWorker.HeartbeatName, true, TimeSpan.FromSeconds(outbox.PollSeconds + (20 * outbox.SmtpTimeoutSeconds) + 60));
            }))
            .Add(WorkerCheck<MailSyncWorker>(HealthChecks.Sync, sp =>
            {
                var sync = sp.GetRequiredService<IOptions<SyncOptions>>().Value;
                return new WorkerExpectation(MailSyncWorker.HeartbeatName, sync.Enabled, TimeSpan.FromSeconds((3 * sync.PollSeconds) + 60));
            }));
    }

    private static HealthCheckRegistration WorkerCheck<TWorker>(string name, Func<IServiceProvider, WorkerExpectation> expectation)
        where TWorker : BackgroundService =>
        new(name, sp => new WorkerHealthCheck<TWorker>(
            sp.GetServices<IHostedService>(), sp.GetRequiredService<WorkerHeartbeats>(), sp.GetRequiredService<TimeProvider>(), expectation(sp)),
            failureStatus: null, tags: null);

    private static void ConfigureDatabase(DbContextOptionsBuilder options, DatabaseOptions database, string contentRoot)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connection = new SqliteConnectionStringBuilder(database.SqliteConnectionString(contentRoot));
                if (Path.GetDirectoryName(connection.DataSource) is { Length: > 0 } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                options.UseSqlite(connection.ToString());
                break;
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(database.ConnectionString);
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{database.Provider}' is not supported; use Sqlite or PostgreSql.");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
