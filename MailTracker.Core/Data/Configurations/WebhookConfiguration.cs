using MailTracker.Core.Accounts;
using MailTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
        builder.Property(e => e.ProtectedSecret).HasMaxLength(2000);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.EventId).HasMaxLength(36);
        builder.Property(d => d.EventType).HasMaxLength(32);
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.Property(d => d.LeaseHolder).HasMaxLength(64);
        // No foreign key to the message: a delivery reports a fact that stays true after its message is deleted.
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // The dispatcher: due pending rows; the order rule: the earliest pending row of an endpoint's message.
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => new { d.EndpointId, d.MessageId, d.State, d.Id });
        // The delivery log, newest first.
        builder.HasIndex(d => new { d.EndpointId, d.Id });
    }
}
