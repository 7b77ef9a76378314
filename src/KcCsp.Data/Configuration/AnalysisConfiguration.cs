using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class AnalysisPublicationConfiguration : IEntityTypeConfiguration<AnalysisPublication>
{
    public void Configure(EntityTypeBuilder<AnalysisPublication> e)
    {
        e.Property(p => p.PublishedBy).HasMaxLength(256);
        e.HasOne(p => p.Priority).WithMany().HasForeignKey(p => p.PriorityId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(p => p.Area).WithMany().HasForeignKey(p => p.AreaId).OnDelete(DeleteBehavior.Restrict);
        // The board reads the latest publication of a priority for an area.
        e.HasIndex(p => new { p.PriorityId, p.AreaId, p.PublishedAt });
    }
}
