using MailTracker.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class MailAccountConfiguration : IEntityTypeConfiguration<MailAccount>
{
    public void Configure(EntityTypeBuilder<MailAccount> builder)
    {
        builder.HasIndex(a => a.OwnerId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.EmailAddress).HasMaxLength(320);
        builder.Property(a => a.SyncLeaseHolder).HasMaxLength(128);
        builder.Property(a => a.OAuthProvider).HasMaxLength(32);
        builder.Property(a => a.ReconnectReason).HasMaxLength(1000);
        builder.Ignore(a => a.SyncsOverImap);
        builder.Ignore(a => a.UsesOAuth);
        builder.Ignore(a => a.NeedsReconnect);
    }
}
