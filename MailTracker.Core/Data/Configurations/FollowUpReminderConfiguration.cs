using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class FollowUpReminderConfiguration : IEntityTypeConfiguration<FollowUpReminder>
{
    public void Configure(EntityTypeBuilder<FollowUpReminder> builder)
    {
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        // One reminder per message.
        builder.HasIndex(r => r.MessageId).IsUnique();
        // The worker: pending reminders by due time; the Follow up folder: a user's fired ones.
        builder.HasIndex(r => new { r.FiredAt, r.ClearedAt, r.DueAt });
        builder.HasIndex(r => new { r.OwnerId, r.FiredAt });
    }
}
