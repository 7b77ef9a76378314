using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(200);
        e.Property(u => u.Agency).HasMaxLength(200);
        e.HasMany(u => u.OwnedActions).WithMany(a => a.Owners).UsingEntity("ActionOwners");
    }
}

internal sealed class ActionUpdateConfiguration : IEntityTypeConfiguration<ActionUpdate>
{
    public void Configure(EntityTypeBuilder<ActionUpdate> e)
    {
        e.Property(u => u.Commentary).HasMaxLength(4000);
        e.Property(u => u.AuthorName).HasMaxLength(256);
        e.HasOne(u => u.Action).WithMany(a => a.Updates).HasForeignKey(u => u.ActionId);
        e.HasOne(u => u.Author).WithMany().HasForeignKey(u => u.AuthorId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(u => new { u.ActionId, u.CreatedAt });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.Property(a => a.User).HasMaxLength(256);
        e.Property(a => a.Action).HasMaxLength(40);
        e.Property(a => a.Entity).HasMaxLength(80);
        e.Property(a => a.Key).HasMaxLength(200);
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.Entity, a.Key });
        e.HasIndex(a => a.User);
    }
}
