using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.HasIndex(t => t.Hash).IsUnique();
        e.Property(t => t.Hash).HasMaxLength(64);
        e.Property(t => t.Prefix).HasMaxLength(16);
        e.Property(t => t.Name).HasMaxLength(120);
        e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
