using MailTracker.Core.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class SandboxDeliveryConfiguration : IEntityTypeConfiguration<SandboxDelivery>
{
    public void Configure(EntityTypeBuilder<SandboxDelivery> builder)
    {
        builder.HasIndex(d => new { d.SenderUserId, d.ReceivedAt });
    }
}
