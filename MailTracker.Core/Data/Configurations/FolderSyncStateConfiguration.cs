using MailTracker.Core.Accounts;
using MailTracker.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class FolderSyncStateConfiguration : IEntityTypeConfiguration<FolderSyncState>
{
    public void Configure(EntityTypeBuilder<FolderSyncState> builder)
    {
        builder.HasIndex(s => new { s.MailAccountId, s.Folder }).IsUnique();
        builder.HasOne<MailAccount>().WithMany().HasForeignKey(s => s.MailAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.ServerName).HasMaxLength(1000);
        builder.Property(s => s.LastError).HasMaxLength(1000);
    }
}
