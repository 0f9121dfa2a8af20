using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Message>().WithMany().HasForeignKey(n => n.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.UserId, n.UpdatedAt });
        builder.HasIndex(n => new { n.UserId, n.IsRead });
        // (message, kind) without the time: a repeat hit bumps the time, and an index on it would be rewritten every hit.
        builder.HasIndex(n => new { n.MessageId, n.Kind });
    }
}
