using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MailAccount>().WithMany().HasForeignKey(m => m.MailAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Deal>().WithMany().HasForeignKey(m => m.DealId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Templates.EmailTemplate>().WithMany().HasForeignKey(m => m.TemplateId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(m => m.Participants).WithOne().HasForeignKey(p => p.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Participants).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(m => m.IsOutgoing);
        builder.Ignore(m => m.CanRetry);
        builder.Ignore(m => m.CanCancel);
        builder.Ignore(m => m.PartlySent);

        // Bodies and search text live in their own table (entity splitting), so the list, the tracking lookups and
        // the summary updates read and rewrite small rows, however large a mail is.
        builder.SplitToTable("MessageBodies", table =>
        {
            table.Property(m => m.HtmlBody);
            table.Property(m => m.TextBody);
            table.Property(m => m.SearchText);
        });

        builder.Property(m => m.Subject).HasMaxLength(1000);
        builder.Property(m => m.MessageIdHeader).HasMaxLength(998);
        builder.Property(m => m.SendLeaseHolder).HasMaxLength(128);

        // The list: a folder in date order, optionally narrowed to tracked mail.
        builder.HasIndex(m => new { m.OwnerId, m.Folder, m.Date });
        // Its trailing columns cover Insights' charts, which group a year of tracked mail without reading the rows
        // (bench/mailbox.sh: about half the time of the three-column index on 100,000 messages).
        builder.HasIndex(m => new { m.OwnerId, m.Folder, m.IsTracked, m.Date, m.OpenTracking, m.OpenCount, m.LinkTracking, m.ClickCount })
            .HasDatabaseName("IX_Messages_OwnerId_Folder_IsTracked_Date");
        // The outbox worker: due messages.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => m.MessageIdHeader);
        // A deal's history (explicit link); a person's explicit link.
        builder.HasIndex(m => new { m.DealId, m.Date });
        builder.HasIndex(m => new { m.PersonId, m.Date });
        // Sync: a folder's messages by UID (flags, de-duplication), and replies by the message they answer.
        builder.HasIndex(m => new { m.MailAccountId, m.Folder, m.ImapUid });
        // No foreign key on purpose: on SQLite adding one rebuilds the whole Messages table, and a reply whose original
        // is gone simply shows no thread.
        builder.HasIndex(m => m.ReplyToMessageId);
    }
}
