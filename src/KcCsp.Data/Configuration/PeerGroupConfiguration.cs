using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class PeerGroupConfiguration : IEntityTypeConfiguration<PeerGroup>
{
    public void Configure(EntityTypeBuilder<PeerGroup> e)
    {
        e.HasIndex(g => g.Name).IsUnique();
        e.Property(g => g.Name).HasMaxLength(100);
        e.Property(g => g.Description).HasMaxLength(1000);
    }
}

internal sealed class PeerGroupMemberConfiguration : IEntityTypeConfiguration<PeerGroupMember>
{
    public void Configure(EntityTypeBuilder<PeerGroupMember> e)
    {
        e.HasKey(m => new { m.PeerGroupId, m.AreaId });
        e.HasOne(m => m.PeerGroup).WithMany(g => g.Members).HasForeignKey(m => m.PeerGroupId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(m => m.Area).WithMany().HasForeignKey(m => m.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}
