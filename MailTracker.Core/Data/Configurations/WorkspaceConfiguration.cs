using MailTracker.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Ignore(w => w.IncludesTracking);
        builder.Ignore(w => w.NeverTrackDomainList);
        builder.Property(w => w.NeverTrackDomains).HasMaxLength(20_000).HasDefaultValue("");
    }
}
