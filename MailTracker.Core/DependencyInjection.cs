using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Contacts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Sandbox;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Core.Tracking.Projection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip),
                "Sandbox:Host must be a loopback address such as 127.0.0.1.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxRetryDelaySeconds >= o.RetryDelaySeconds, "Sync:MaxRetryDelaySeconds must not be less than Sync:RetryDelaySeconds.")
            .ValidateOnStart();

        services.AddOptions<MailboxOAuthOptions>().BindConfiguration(MailboxOAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailboxOAuthOptions>, MailboxOAuthOptionsValidation>();

        services.TryAddSingleton(TimeProvider.System);

        var contentRoot = builder.Environment.ContentRootPath;
        services.AddDbContextFactory<MailTrackerDbContext>((sp, options) =>
            ConfigureDatabase(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));
        services.AddHealthChecks().AddDbContextCheck<MailTrackerDbContext>("database");

        services.AddDataProtection().SetApplicationName("MailTracker").PersistKeysToDbContext<MailTrackerDbContext>();

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

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxService>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<OutboxProcessor>();
        services.AddHostedService<OutboxWorker>();

        services.AddSingleton<HitClassifier>();
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
        services.AddSingleton<TrackingProjector>();
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
        services.AddSingleton<IMessageSentListener, SentCopyListener>();
        services.AddHostedService<MailSyncWorker>();

        services.AddSingleton<MailboxQueries>();
        services.AddSingleton<ContactBook>();
        services.AddSingleton<DealPipeline>();
        services.AddSingleton<EmailHistory>();
        services.AddSingleton<NotificationCenter>();
        services.AddSingleton<SandboxMailbox>();
        services.AddHostedService<SandboxMailServer>();
        return builder;
    }

    private static void ConfigureDatabase(DbContextOptionsBuilder options, DatabaseOptions database, string contentRoot)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connection = new SqliteConnectionStringBuilder(database.ConnectionString);
                if (connection.DataSource != ":memory:" && !Path.IsPathRooted(connection.DataSource))
                {
                    connection.DataSource = Path.Combine(contentRoot, connection.DataSource);
                }

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
