using Bunit;
using Bunit.TestDoubles;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Web;
using MailTracker.Web.Live;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// bUnit base for MailTracker components: MudBlazor services, loose JS interop, the real localised strings, a real
/// SQLite database (migrated, in a temp file), a fake clock, and a signed-in user. Render
/// <c>MudPopoverProvider</c> first when a test needs popovers (menus, tooltips, dialogs).
/// </summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"mailtracker-bunit-{Guid.NewGuid():N}.db");

    protected ComponentTestBase()
    {
        DefaultWaitTimeout = TimeSpan.FromSeconds(5);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        // The identity schema version shapes the model, as in the app.
        Services.Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => o.Stores.SchemaVersion = Microsoft.AspNetCore.Identity.IdentitySchemaVersions.Version3);
        Services.AddDbContextFactory<MailTrackerDbContext>(o => o.UseSqlite($"Data Source={_databasePath}"));
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IUserPush>(Pushes);
        Services.AddSingleton<NotificationCenter>();
        Services.AddSingleton<NotificationRules>();
        Services.AddSingleton<Core.Sync.MailSyncSignal>();
        Services.AddSingleton<MailboxQueries>();
        Services.AddSingleton<OutboxSignal>();
        Services.AddSingleton<FollowUpSignal>();
        Services.AddSingleton<Core.FollowUps.FollowUpReminders>();
        Services.AddSingleton<OutboxService>();
        Services.AddSingleton<Core.Templates.TemplateLibrary>();
        Services.AddSingleton<Core.Accounts.WorkspacePlans>();
        Services.AddOptions<Core.Privacy.PrivacyOptions>();
        Services.AddSingleton<Core.Privacy.RawTrackingData>();
        Services.AddSingleton<Core.Privacy.WorkspacePrivacy>();
        // The mailbox the bell and the settings page ask about; OAuth providers are off unless a test configures them.
        Services.TryAddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        Services.TryAddSingleton<Core.Accounts.MailboxSecrets>();
        Services.AddHttpClient();
        Services.TryAddSingleton<Core.Accounts.OAuth.OAuthTokenClient>();
        Services.TryAddSingleton<Core.Accounts.OAuth.MailboxOAuthProviders>();
        Services.TryAddSingleton<Core.Accounts.MailboxCredentials>();
        Services.TryAddSingleton<Core.Sync.ImapConnector>();
        Services.TryAddSingleton<Core.Accounts.MailboxConnectionTester>();
        Services.TryAddSingleton<Core.Accounts.MailboxConnections>();
        Services.TryAddSingleton<Core.Webhooks.WebhookSignal>();
        Services.TryAddSingleton<Core.Webhooks.WebhookSecrets>();
        Services.TryAddSingleton<Core.Webhooks.WebhookQueue>();
        Services.TryAddSingleton<Core.Webhooks.WebhookEndpoints>();
        Services.AddScoped<LiveUpdates>();
        Services.AddScoped<CurrentUser>();
        Auth = AddAuthorization();
    }

    /// <summary>"Now" for the component under test: 27 Nov 2026, 15:00 UTC.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero));

    /// <summary>Pushes a component asked for (mark-read echoes, for example).</summary>
    protected RecordedPushes Pushes { get; } = new();

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>A database with the schema applied; seed it with <see cref="Db"/>.</summary>
    protected async Task<MailTrackerDbContext> Db()
    {
        var db = await Services.GetRequiredService<IDbContextFactory<MailTrackerDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        return db;
    }

    /// <summary>Creates a user row and signs them in for the components.</summary>
    protected async Task<string> SignInAsync(string email = "rep@example.com", string name = "Rep", string timeZone = "UTC")
    {
        await using var db = await Db();
        var user = new Core.Accounts.AppUser { UserName = email, Email = email, DisplayName = name, TimeZoneId = timeZone };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        Auth.SetAuthorized(email);
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        return user.Id;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }

    public sealed class RecordedPushes : IUserPush
    {
        public List<(string UserId, UserPushEvent Event)> Sent { get; } = [];

        public Task PushAsync(string userId, UserPushEvent pushEvent, CancellationToken cancellationToken = default)
        {
            lock (Sent)
            {
                Sent.Add((userId, pushEvent));
            }

            return Task.CompletedTask;
        }
    }
}
