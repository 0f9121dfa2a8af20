using MailTracker.Core.Accounts;
using MailTracker.Core.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>
{
    public void Configure(EntityTypeBuilder<EmailTemplate> builder)
    {
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Name).HasMaxLength(EmailTemplate.MaxNameLength);
        // A user's own templates, and the workspace's shared ones.
        builder.HasIndex(t => new { t.OwnerId, t.DeletedAt });
        builder.HasIndex(t => new { t.Shared, t.DeletedAt });
    }
}
