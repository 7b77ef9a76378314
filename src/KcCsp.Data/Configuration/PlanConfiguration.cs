using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> e)
    {
        e.HasIndex(p => p.Code).IsUnique();
        e.Property(p => p.Code).HasMaxLength(80);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.Partnership).HasMaxLength(200);
        e.Property(p => p.Years).HasMaxLength(20);
        e.HasOne(p => p.HomeArea).WithMany().HasForeignKey(p => p.HomeAreaId).OnDelete(DeleteBehavior.Restrict);
        e.Property(p => p.Source).HasMaxLength(1000);
        e.Property(p => p.PublishedSource).HasMaxLength(200);
    }
}

internal sealed class PlanRevisionConfiguration : IEntityTypeConfiguration<PlanRevision>
{
    public void Configure(EntityTypeBuilder<PlanRevision> e)
    {
        e.HasIndex(r => new { r.PlanId, r.Number }).IsUnique();
        e.Property(r => r.FileName).HasMaxLength(260);
        e.Property(r => r.Sha256).HasMaxLength(64);
        e.Property(r => r.LoadedBy).HasMaxLength(256);
        e.HasOne(r => r.Plan).WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanMembershipConfiguration : IEntityTypeConfiguration<PlanMembership>
{
    public void Configure(EntityTypeBuilder<PlanMembership> e)
    {
        e.HasKey(m => new { m.PlanId, m.UserId });
        e.HasIndex(m => m.UserId);
        e.Property(m => m.UserId).HasMaxLength(450);
        e.HasOne(m => m.Plan).WithMany(p => p.Members).HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PriorityConfiguration : IEntityTypeConfiguration<Priority>
{
    public void Configure(EntityTypeBuilder<Priority> e)
    {
        e.HasIndex(p => new { p.PlanId, p.Code }).IsUnique();
        e.Property(p => p.Code).HasMaxLength(80);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.Aim).HasMaxLength(1000);
        e.HasOne(p => p.Plan).WithMany(p => p.Priorities).HasForeignKey(p => p.PlanId);
    }
}

internal sealed class PriorityReviewConfiguration : IEntityTypeConfiguration<PriorityReview>
{
    public void Configure(EntityTypeBuilder<PriorityReview> e)
    {
        e.Property(r => r.Heading).HasMaxLength(1000);
        e.HasOne(r => r.Priority).WithMany(p => p.Reviews).HasForeignKey(r => r.PriorityId);
    }
}

internal sealed class PlanActionConfiguration : IEntityTypeConfiguration<PlanAction>
{
    public void Configure(EntityTypeBuilder<PlanAction> e)
    {
        e.Property(a => a.Theme).HasMaxLength(100);
        e.Property(a => a.Text).HasMaxLength(2000);
        e.Property(a => a.LeadAgency).HasMaxLength(200);
        e.HasOne(a => a.Priority).WithMany(p => p.Actions).HasForeignKey(a => a.PriorityId);
    }
}
