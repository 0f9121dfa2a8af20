using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Sandbox;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Data;

/// <summary>
/// The one database of MailTracker. Services create short-lived instances through
/// <see cref="IDbContextFactory{TContext}"/>; a Blazor circuit must never hold one.
/// </summary>
/// <remarks>
/// Add a migration for each provider:
/// <c>dotnet ef migrations add Name --project MailTracker.Core --startup-project MailTracker.Web --context MailTrackerDbContext --output-dir Data/Migrations</c>
/// and <c>dotnet ef migrations add Name --project MailTracker.Core --startup-project MailTracker.Web --context PostgreSqlMigrationContext --output-dir Data/PostgreSqlMigrations</c>.
/// For the first, take <c>PostgreSqlMigrationContextFactory</c>'s interface off while it runs: EF Core otherwise uses that
/// factory for this context too (the interface is covariant) and writes PostgreSQL types into the SQLite migrations.
/// </remarks>
public class MailTrackerDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public MailTrackerDbContext(DbContextOptions<MailTrackerDbContext> options)
        : base(options)
    {
    }

    /// <summary>For <see cref="PostgreSqlMigrationContext"/>: the same model, its own migrations.</summary>
    protected MailTrackerDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<MailAccount> MailAccounts => Set<MailAccount>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<MessageParticipant> MessageParticipants => Set<MessageParticipant>();

    public DbSet<MessageRecipient> MessageRecipients => Set<MessageRecipient>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<PersonEmail> PersonEmails => Set<PersonEmail>();

    public DbSet<Deal> Deals => Set<Deal>();

    public DbSet<TrackedLink> TrackedLinks => Set<TrackedLink>();

    public DbSet<TrackingToken> TrackingTokens => Set<TrackingToken>();

    public DbSet<TrackingEvent> TrackingEvents => Set<TrackingEvent>();

    public DbSet<Tracking.Intake.ProjectionCursor> ProjectionCursors => Set<Tracking.Intake.ProjectionCursor>();

    public DbSet<SenderSessionRecord> SenderSessions => Set<SenderSessionRecord>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<FollowUpReminder> FollowUpReminders => Set<FollowUpReminder>();

    public DbSet<Templates.EmailTemplate> EmailTemplates => Set<Templates.EmailTemplate>();

    public DbSet<SandboxDelivery> SandboxDeliveries => Set<SandboxDelivery>();

    public DbSet<FolderSyncState> FolderSyncStates => Set<FolderSyncState>();

    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();

    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys
        => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored in UTC; SQLite forgets the kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MailTrackerDbContext).Assembly);
    }
}

internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
