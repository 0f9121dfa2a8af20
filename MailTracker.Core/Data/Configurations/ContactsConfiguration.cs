using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MailTracker.Core.Data.Configurations;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("People");
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Emails).WithOne().HasForeignKey(e => e.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Emails).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(p => p.PrimaryEmail);

        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.SortKey).HasMaxLength(200);
        builder.Property(p => p.Organization).HasMaxLength(200);
        builder.Property(p => p.Phone).HasMaxLength(50);

        // The list: a user's people by name.
        builder.HasIndex(p => new { p.OwnerId, p.SortKey });
    }
}

internal sealed class PersonEmailConfiguration : IEntityTypeConfiguration<PersonEmail>
{
    public void Configure(EntityTypeBuilder<PersonEmail> builder)
    {
        builder.Property(e => e.Address).HasMaxLength(320);

        // One person per address per user: the composer's do-not-track check and the history depend on it.
        builder.HasIndex(e => new { e.OwnerId, e.Address }).IsUnique();
    }
}

internal sealed class DealConfiguration : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> builder)
    {
        builder.HasOne<AppUser>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(d => d.PersonId).OnDelete(DeleteBehavior.SetNull);

        builder.Property(d => d.Title).HasMaxLength(300);
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.Property(d => d.Value).HasPrecision(18, 2);

        builder.HasIndex(d => new { d.OwnerId, d.Stage });
        builder.HasIndex(d => d.PersonId);
    }
}
