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
