using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KcCsp.Data.Configuration;

internal sealed class CrimeCategoryConfiguration : IEntityTypeConfiguration<CrimeCategory>
{
    public void Configure(EntityTypeBuilder<CrimeCategory> e)
    {
        e.HasIndex(c => c.Code).IsUnique();
        e.Property(c => c.Code).HasMaxLength(80);
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.MajorGroup).HasMaxLength(200);
        e.Property(c => c.Taxonomy).HasMaxLength(20).HasDefaultValue(CrimeSources.Mps);
    }
}

internal sealed class CategoryAliasConfiguration : IEntityTypeConfiguration<CategoryAlias>
{
    public void Configure(EntityTypeBuilder<CategoryAlias> e)
    {
        e.HasIndex(a => a.Key).IsUnique();
        e.Property(a => a.Key).HasMaxLength(420);
        e.Property(a => a.MajorName).HasMaxLength(200);
        e.Property(a => a.MinorName).HasMaxLength(200);
        e.Property(a => a.MappedBy).HasMaxLength(256);
        e.HasOne(a => a.Category).WithMany().HasForeignKey(a => a.CategoryId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class MeasureCategoryConfiguration : IEntityTypeConfiguration<MeasureCategory>
{
    public void Configure(EntityTypeBuilder<MeasureCategory> e)
    {
        e.HasKey(m => new { m.MeasureId, m.CategoryId });
        e.HasOne(m => m.Measure).WithMany().HasForeignKey(m => m.MeasureId);
        e.HasOne(m => m.Category).WithMany().HasForeignKey(m => m.CategoryId);
    }
}

internal sealed class CrimeImportConfiguration : IEntityTypeConfiguration<CrimeImport>
{
    public void Configure(EntityTypeBuilder<CrimeImport> e)
    {
        e.HasIndex(i => i.Sha256);
        e.Property(i => i.FileName).HasMaxLength(400);
        e.Property(i => i.Sha256).HasMaxLength(64);
        e.Property(i => i.ImportedBy).HasMaxLength(256);
        e.Property(i => i.RolledBackBy).HasMaxLength(256);
        e.Property(i => i.Layout).HasMaxLength(400);
        e.Property(i => i.Source).HasMaxLength(20).HasDefaultValue(CrimeSources.Mps);
    }
}

internal sealed class CrimeCountConfiguration : IEntityTypeConfiguration<CrimeCount>
{
    public void Configure(EntityTypeBuilder<CrimeCount> e)
    {
        // No key: nothing reads or changes one count; a key would be one more index for every count of every load
        // (in PostgreSQL the identity key cost a COPY of a million counts about as much as the rows themselves).
        e.HasNoKey();
        // Only the import id is indexed: every read of counts is by import. Counts are appended in import order, one
        // import at a time (ImportLock), so in PostgreSQL a BRIN index (one summary per block range, kept up as blocks
        // fill) finds an import's counts at a fraction of a B-tree's cost per row; other providers use a B-tree,
        // which grows at its end.
        e.HasIndex(c => c.ImportId).HasMethod("brin").HasStorageParameter("autosummarize", true);
        e.Property(c => c.SmallAreaCode).HasMaxLength(20);
        // No foreign keys at all: counts are a bulk fact table written only by the importer, which takes each id —
        // ImportId, AreaId, AliasId — from the CrimeImports, Areas and CategoryAliases rows it reads or creates inside
        // its own transaction; none of those is ever deleted (a rolled-back import keeps its row and its counts).
        // AreaId and AliasId have no indexes either: nothing reads counts by area or category name alone (the banner
        // of unmapped names reads ImportAliases); each index would cost every million counts a quarter to half a
        // second. The ImportId foreign key cost PostgreSQL one trigger per row: 1 M checks at the end of the COPY,
        // about as long as the whole COPY itself (see docs/performance.md).
    }
}

internal sealed class ImportAliasConfiguration : IEntityTypeConfiguration<ImportAlias>
{
    public void Configure(EntityTypeBuilder<ImportAlias> e)
    {
        e.HasKey(t => new { t.ImportId, t.AliasId });
        e.HasOne<CrimeImport>().WithMany().HasForeignKey(t => t.ImportId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<CategoryAlias>().WithMany().HasForeignKey(t => t.AliasId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImportCoverageConfiguration : IEntityTypeConfiguration<ImportCoverage>
{
    public void Configure(EntityTypeBuilder<ImportCoverage> e)
    {
        e.HasKey(c => new { c.ImportId, c.AreaId, c.Month });
        e.HasIndex(c => new { c.AreaId, c.Month });
        e.HasOne<CrimeImport>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MeasureMonthValueConfiguration : IEntityTypeConfiguration<MeasureMonthValue>
{
    public void Configure(EntityTypeBuilder<MeasureMonthValue> e)
    {
        e.HasKey(v => new { v.MeasureId, v.AreaId, v.Month });
        e.HasOne<Measure>().WithMany().HasForeignKey(v => v.MeasureId);
        e.HasOne<Area>().WithMany().HasForeignKey(v => v.AreaId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<CrimeImport>().WithMany().HasForeignKey(v => v.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImportSourceStateConfiguration : IEntityTypeConfiguration<ImportSourceState>
{
    public void Configure(EntityTypeBuilder<ImportSourceState> e)
    {
        e.HasIndex(s => s.Url).IsUnique();
        e.Property(s => s.Url).HasMaxLength(1000);
        e.Property(s => s.ETag).HasMaxLength(400);
        e.Property(s => s.LastModified).HasMaxLength(100);
        e.Property(s => s.LastSha256).HasMaxLength(64);
        e.Property(s => s.LastOutcome).HasMaxLength(1000);
    }
}

internal sealed class SmallAreaConfiguration : IEntityTypeConfiguration<SmallArea>
{
    public void Configure(EntityTypeBuilder<SmallArea> e)
    {
        e.HasIndex(s => s.Code).IsUnique();
        e.HasIndex(s => new { s.AreaId, s.Kind });
        e.Property(s => s.Code).HasMaxLength(20);
        e.Property(s => s.Name).HasMaxLength(200);
        e.HasOne(s => s.Area).WithMany().HasForeignKey(s => s.AreaId);
    }
}

internal sealed class SmallAreaPopulationConfiguration : IEntityTypeConfiguration<SmallAreaPopulation>
{
    public void Configure(EntityTypeBuilder<SmallAreaPopulation> e)
    {
        e.HasIndex(p => new { p.Code, p.Year }).IsUnique();
        e.Property(p => p.Code).HasMaxLength(20);
        e.Property(p => p.Source).HasMaxLength(400);
    }
}

internal sealed class LsoaLookupConfiguration : IEntityTypeConfiguration<LsoaLookup>
{
    public void Configure(EntityTypeBuilder<LsoaLookup> e)
    {
        e.HasKey(l => l.LsoaCode);
        e.Property(l => l.LsoaCode).HasMaxLength(20);
        e.Property(l => l.LsoaName).HasMaxLength(200);
        e.Property(l => l.LadCode).HasMaxLength(20);
        e.Property(l => l.LadName).HasMaxLength(120);
    }
}
