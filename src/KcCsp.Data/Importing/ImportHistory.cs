using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Importing;

public sealed record RollbackOutcome(bool Done, string Message, int RevisionCount = 0, List<Revision>? Revisions = null);

/// <summary>Rolling an import back: the imports it replaced become authoritative again for its area-months.</summary>
public sealed class ImportHistory(KcCspDbContext db, MeasureValueRecomputer recomputer, ImportLock importLock, People.UnitOfWork unit, TimeProvider clock, ILogger<ImportHistory> logger)
{
    public async Task<RollbackOutcome> RollBackAsync(int importId, string who, CancellationToken ct = default)
    {
        using var held = await importLock.AcquireAsync(ct);
        return await unit.RunAsync(who, async ct =>
        {
            await importLock.LockDatabaseAsync(db, ct);
            var import = await db.CrimeImports.SingleOrDefaultAsync(i => i.Id == importId, ct);
            if (import is null) return new RollbackOutcome(false, $"There is no import #{importId}.");
            if (import.Status == ImportStatus.RolledBack)
                return new RollbackOutcome(false, $"Import #{importId} was already rolled back on {import.RolledBackAt:yyyy-MM-dd HH:mm} UTC by {import.RolledBackBy}.");
            import.Status = ImportStatus.RolledBack;
            import.RolledBackAt = clock.GetUtcNow();
            import.RolledBackBy = who;
            // An operation, not a record's edit: its entry says what the import was and that it is now rolled back.
            unit.Record("rolled back", nameof(CrimeImport), importId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { import.FileName, Status = ImportStatus.Applied }, new { import.FileName, import.Status });
            await db.SaveChangesAsync(ct);
            var (count, revisions, _) = await recomputer.RecomputeAsync(importId, ct);
            logger.LogInformation("Import {ImportId} ({FileName}) rolled back by {User}: {Revisions} area-months changed", importId, import.FileName, who, count);
            return new RollbackOutcome(true, $"Import #{importId} ({import.FileName}) rolled back: {count} area-months now show the figures it had replaced.", count, revisions);
        }, ct);
    }
}

/// <summary>Analysts map category names to canonical categories; every stored measure value is recomputed, no upload needed.</summary>
public sealed class CategoryMapping(KcCspDbContext db, MeasureValueRecomputer recomputer, ImportLock importLock, People.UnitOfWork unit, TimeProvider clock, ILogger<CategoryMapping> logger)
{
    public async Task<(int RevisionCount, List<Revision> Revisions)> MapAsync(int aliasId, int? categoryId, string who, CancellationToken ct = default)
    {
        using var held = await importLock.AcquireAsync(ct);
        return await unit.RunAsync(who, async ct =>
        {
            await importLock.LockDatabaseAsync(db, ct);
            var alias = await db.CategoryAliases.SingleOrDefaultAsync(a => a.Id == aliasId, ct)
                ?? throw new KeyNotFoundException($"There is no category name #{aliasId}.");
            if (categoryId is { } id && !await db.CrimeCategories.AnyAsync(c => c.Id == id, ct))
                throw new KeyNotFoundException($"There is no canonical category #{id}.");
            alias.CategoryId = categoryId;
            alias.MappedBy = who;
            alias.MappedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            var (count, revisions, _) = await recomputer.RecomputeAsync(null, ct);
            logger.LogInformation("Category name {Major} / {Minor} mapped to {CategoryId} by {User}: {Revisions} area-months changed", alias.MajorName, alias.MinorName, categoryId, who, count);
            return (count, revisions);
        }, ct);
    }

    /// <summary>A new canonical category; it joins total notifiable offences, which counts every category.</summary>
    public async Task<CrimeCategory> AddCategoryAsync(string code, string name, string majorGroup, string who, CancellationToken ct = default)
    {
        code = code.Trim().ToLowerInvariant();
        if (code.Length == 0 || code.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new ArgumentException("A category code is lower-case letters, digits and hyphens, e.g. 'theft-of-catalytic-converter'.", nameof(code));
        if (await db.CrimeCategories.AnyAsync(c => c.Code == code, ct))
            throw new ArgumentException($"There is already a category with the code '{code}'.", nameof(code));
        var category = new CrimeCategory { Code = code, Name = name.Trim(), MajorGroup = majorGroup.Trim() };
        await unit.RunAsync(who, async ct =>
        {
            db.CrimeCategories.Add(category);
            // Every plan's count of all categories, whichever plan the analyst is in.
            var all = await db.Measures.IgnoreQueryFilters().Where(m => m.Code == Seed.CategorySeeder.AllCategoriesMeasure).ToListAsync(ct);
            foreach (var m in all) db.MeasureCategories.Add(new MeasureCategory { Measure = m, Category = category });
        }, ct);
        return category;
    }
}
