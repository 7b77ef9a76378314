using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class MeasureConfiguration : IEntityTypeConfiguration<Measure>
{
    public void Configure(EntityTypeBuilder<Measure> e)
    {
        e.HasIndex(m => new { m.PlanId, m.Code }).IsUnique();
        e.HasOne(m => m.Plan).WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(m => m.ShareOfMeasure).WithMany().HasForeignKey(m => m.ShareOfMeasureId).OnDelete(DeleteBehavior.Restrict);
        e.Property(m => m.Code).HasMaxLength(80);
        e.Property(m => m.Name).HasMaxLength(200);
        e.HasOne(m => m.Priority).WithMany(p => p.Measures).HasForeignKey(m => m.PriorityId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne(m => m.RateOfMeasure).WithMany().HasForeignKey(m => m.RateOfMeasureId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> e)
    {
        e.HasIndex(t => new { t.MeasureId, t.FinancialYear }).IsUnique();
        e.Property(t => t.AsPrinted).HasMaxLength(100);
        e.Property(t => t.Set).HasMaxLength(100);
        e.HasOne(t => t.Measure).WithMany(m => m.Targets).HasForeignKey(t => t.MeasureId);
    }
}

internal sealed class AreaConfiguration : IEntityTypeConfiguration<Area>
{
    public void Configure(EntityTypeBuilder<Area> e)
    {
        e.HasIndex(a => a.Name).IsUnique();
        e.Property(a => a.Name).HasMaxLength(120);
        e.Property(a => a.Code).HasMaxLength(20);
        e.Property(a => a.Force).HasMaxLength(120);
    }
}

internal sealed class PopulationConfiguration : IEntityTypeConfiguration<Population>
{
    public void Configure(EntityTypeBuilder<Population> e)
    {
        e.HasIndex(p => new { p.AreaId, p.Year }).IsUnique();
        e.Property(p => p.Source).HasMaxLength(100);
        e.HasOne(p => p.Area).WithMany().HasForeignKey(p => p.AreaId);
    }
}

internal sealed class FigureConfiguration : IEntityTypeConfiguration<Figure>
{
    public void Configure(EntityTypeBuilder<Figure> e)
    {
        e.HasIndex(f => new { f.MeasureId, f.AreaId, f.From, f.To, f.Source }).IsUnique();
        e.Property(f => f.SourceNote).HasMaxLength(400);
        e.Property(f => f.EnteredBy).HasMaxLength(256);
        e.HasOne(f => f.Measure).WithMany().HasForeignKey(f => f.MeasureId);
        e.HasOne(f => f.Area).WithMany().HasForeignKey(f => f.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}
