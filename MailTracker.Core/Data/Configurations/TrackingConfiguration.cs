using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using Intake = MailTracker.Core.Tracking.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class TrackingTokenConfiguration : IEntityTypeConfiguration<TrackingToken>
{
    public void Configure(EntityTypeBuilder<TrackingToken> builder)
    {
        builder.HasKey(t => t.Token);
        builder.Property(t => t.Token).HasMaxLength(32);
        builder.HasIndex(t => t.MessageId);
        builder.HasOne<Message>().WithMany().HasForeignKey(t => t.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.TrackedLink).WithMany().HasForeignKey(t => t.TrackedLinkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TrackedLinkConfiguration : IEntityTypeConfiguration<TrackedLink>
{
    public void Configure(EntityTypeBuilder<TrackedLink> builder)
    {
        builder.HasIndex(l => new { l.MessageId, l.Ordinal }).IsUnique();
        builder.HasOne<Message>().WithMany().HasForeignKey(l => l.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(l => l.Url).HasMaxLength(8000);
    }
}

internal sealed class TrackingEventConfiguration : IEntityTypeConfiguration<TrackingEvent>
{
    public void Configure(EntityTypeBuilder<TrackingEvent> builder)
    {
        builder.HasIndex(e => new { e.MessageId, e.OccurredAt });
        builder.HasOne<Message>().WithMany().HasForeignKey(e => e.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TrackedLink>().WithMany().HasForeignKey(e => e.TrackedLinkId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.UserAgent).HasMaxLength(TrackingHit.MaxStoredUserAgent);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(200);
        // The few events still waiting for their verdict to settle, found by the projector's sweep.
        builder.HasIndex(e => e.OccurredAt).HasDatabaseName("IX_TrackingEvents_Unsettled").HasFilter("NOT \"Settled\"");
    }
}

internal sealed class SenderSessionConfiguration : IEntityTypeConfiguration<SenderSessionRecord>
{
    public void Configure(EntityTypeBuilder<SenderSessionRecord> builder)
    {
        builder.ToTable("SenderSessions");
        builder.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.UserId, s.LastSeenAt });
        builder.Property(s => s.IpAddress).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(TrackingHit.MaxStoredUserAgent);
    }
}

internal sealed class ProjectionCursorConfiguration : IEntityTypeConfiguration<Intake.ProjectionCursor>
{
    public void Configure(EntityTypeBuilder<Intake.ProjectionCursor> builder)
    {
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(64);
        builder.HasData(new Intake.ProjectionCursor { Name = Intake.IntakeSchema.CursorName, Position = 0 });
    }
}
