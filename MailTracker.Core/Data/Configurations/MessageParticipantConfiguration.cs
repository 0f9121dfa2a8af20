using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class MessageParticipantConfiguration : IEntityTypeConfiguration<MessageParticipant>
{
    public void Configure(EntityTypeBuilder<MessageParticipant> builder)
    {
        builder.Property(p => p.Address).HasMaxLength(320);

        // A person's history: (owner, address) → message ids, answered from the index alone.
        builder.HasIndex(p => new { p.OwnerId, p.Address, p.MessageId });
        builder.HasIndex(p => p.MessageId);
    }
}

internal sealed class MessageRecipientConfiguration : IEntityTypeConfiguration<MessageRecipient>
{
    public void Configure(EntityTypeBuilder<MessageRecipient> builder)
    {
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.Property(r => r.DisplayName).HasMaxLength(320);
        builder.Property(r => r.LastError).HasMaxLength(2000);
        builder.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.MessageId, r.Address }).IsUnique();
    }
}
