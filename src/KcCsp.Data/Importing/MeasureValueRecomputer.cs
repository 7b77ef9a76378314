using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KcCsp.Data.Importing;

/// <summary>
/// Derives the stored monthly value of every crime-extract measure from the counts of the import that is
/// authoritative for each area-month among the imports of the measure's source (the latest applied import of that
/// source covering it: MPS extracts for MPS measures, police.uk files for police.uk measures), and reports what changed.
/// Runs inside the caller's transaction: after an import, a rollback, or a change of category mapping.
/// </summary>
public sealed class MeasureValueRecomputer(KcCspDbContext db, IBulkWriter writer)
{
    public const int RevisionListCap = 500;

    /// <param name="scopeImportId">Recompute the area-months this import covers, for the measures of its source; null
    /// recomputes every covered area-month of every source.</param>
    /// <param name="fresh">The sums of an import just written in this transaction, as its writer added them up: spares reading its counts back.</param>
    public async Task<(int RevisionCount, List<Revision> Revisions, List<int> PreviousImports)> RecomputeAsync(int? scopeImportId, CancellationToken ct, FreshCounts? fresh = null)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Recomputing measure values needs the caller's transaction.");
        // Authority is per source: an MPS extract and a police.uk file covering the same borough-month are each
        // authoritative for their own measures (a measure adds up categories of one taxonomy), never for the other's.
        string? source = scopeImportId is { } scoped ? await db.CrimeImports.Where(i => i.Id == scoped).Select(i => i.Source).SingleAsync(ct) : null;

        // Which measures each alias counts towards. Every row of an MPS extract is a notifiable offence: the all-categories
        // measure (total notifiable offences) counts every MPS name, mapped or not; the others wait for a mapping.
        var definitions = await db.MeasureCategories.AsNoTracking().ToListAsync(ct);
        var allCategories = await db.Measures.AsNoTracking().Where(m => m.Code == Seed.CategorySeeder.AllCategoriesMeasure).Select(m => m.Id).ToArrayAsync(ct);
        var taxonomies = await db.CrimeCategories.AsNoTracking().Select(c => new { c.Id, c.Taxonomy }).ToDictionaryAsync(c => c.Id, c => c.Taxonomy, ct);
        var measureSource = definitions.GroupBy(d => d.MeasureId).ToDictionary(g => g.Key, g => taxonomies.GetValueOrDefault(g.First().CategoryId, CrimeSources.Mps));
        foreach (var m in allCategories) measureSource[m] = CrimeSources.Mps;
        var sourceMeasures = source is null ? null : measureSource.Where(m => m.Value == source).Select(m => m.Key).ToList();

        // Every area-month in scope, and which applied import of each source (if any) is now authoritative for it.
        var inScope = db.ImportCoverages.AsQueryable();
        if (scopeImportId is { } x)
            inScope = inScope.Where(c => db.ImportCoverages.Any(k => k.ImportId == x && k.AreaId == c.AreaId && k.Month == c.Month));
        var current = await (from c in inScope
                             join i in db.CrimeImports on c.ImportId equals i.Id
                             where i.Status == ImportStatus.Applied && (source == null || i.Source == source)
                             group c by new { i.Source, c.AreaId, c.Month } into g
                             select new { g.Key.Source, g.Key.AreaId, g.Key.Month, ImportId = g.Max(c => c.ImportId) })
            .ToListAsync(ct);

        var oldQuery = db.MeasureMonthValues.AsQueryable();
        if (scopeImportId is { } y)
            oldQuery = oldQuery.Where(v => db.ImportCoverages.Any(k => k.ImportId == y && k.AreaId == v.AreaId && k.Month == v.Month) && sourceMeasures!.Contains(v.MeasureId));
        var old = await oldQuery.AsNoTracking().ToListAsync(ct);
        var previousImports = old.Select(v => v.ImportId).Distinct().Order().ToList();

        var measureIds = definitions.Select(d => d.MeasureId).Concat(allCategories).Distinct().Order().ToArray();
        var aliasList = await db.CategoryAliases.AsNoTracking().Select(a => new { a.Id, a.CategoryId }).ToListAsync(ct);
        var aliasMeasures = aliasList.ToDictionary(a => a.Id, a => definitions.Where(d => d.CategoryId == a.CategoryId).Select(d => d.MeasureId)
            .Concat(allCategories).Distinct().ToArray());

        var aliasCategory = aliasList.Where(a => a.CategoryId != null).ToDictionary(a => a.Id, a => a.CategoryId!.Value);

        var values = new Dictionary<(int Measure, int Area, int Month), MeasureMonthValue>();
        foreach (var byImport in current.GroupBy(c => (c.ImportId, c.Source)))
        {
            var (importId, importSource) = byImport.Key;
            var authoritative = byImport.Select(c => (c.AreaId, c.Month.ToYyyyMm())).ToHashSet();
            var sums = fresh?.ImportId == importId
                ? fresh.Sums
                : (await db.CrimeCounts.AsNoTracking().Where(c => c.ImportId == importId)
                    .GroupBy(c => new { c.AreaId, c.Month, c.AliasId })
                    .Select(g => new { g.Key.AreaId, g.Key.Month, g.Key.AliasId, Total = g.Sum(c => (long)c.Count) })
                    .ToListAsync(ct)).Select(s => new CountSum(s.AreaId, s.Month.ToYyyyMm(), s.AliasId, s.Total)).ToList();

            // The measures this import can report: those with a defining category among its counts.
            var present = sums.Select(s => aliasCategory.GetValueOrDefault(s.AliasId)).ToHashSet();
            var reportable = measureIds.Where(m => measureSource.GetValueOrDefault(m) == importSource
                && (allCategories.Contains(m) || definitions.Any(d => d.MeasureId == m && d.IsDefining && present.Contains(d.CategoryId)))).ToArray();
            foreach (var (areaId, month) in authoritative)
                foreach (var m in reportable)
                    values[(m, areaId, month)] = new MeasureMonthValue { MeasureId = m, AreaId = areaId, Month = YearMonth.FromYyyyMm(month), ImportId = importId };

            foreach (var s in sums)
            {
                var month = s.Month;
                if (!authoritative.Contains((s.AreaId, month)) || !aliasMeasures.TryGetValue(s.AliasId, out var measures)) continue;
                foreach (var m in measures)
                    if (values.TryGetValue((m, s.AreaId, month), out var v)) v.Value += s.Total;
            }
        }

        var deleteQuery = db.MeasureMonthValues.AsQueryable();
        if (scopeImportId is { } z)
            deleteQuery = deleteQuery.Where(v => db.ImportCoverages.Any(k => k.ImportId == z && k.AreaId == v.AreaId && k.Month == v.Month) && sourceMeasures!.Contains(v.MeasureId));
        await deleteQuery.ExecuteDeleteAsync(ct);
        await writer.WriteAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), BulkTables.MeasureValues,
            values.Values.OrderBy(v => v.MeasureId).ThenBy(v => v.AreaId).ThenBy(v => v.Month.ToYyyyMm()), ct);

        // Revisions: area-months that had values before and now have different ones (or none).
        var codes = await db.Measures.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Code, ct);
        var areas = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var changed = new List<(int Area, int Month, MeasureChange Change)>();
        foreach (var o in old)
        {
            long? now = values.TryGetValue((o.MeasureId, o.AreaId, o.Month.ToYyyyMm()), out var v) ? v.Value : null;
            if (now != o.Value) changed.Add((o.AreaId, o.Month.ToYyyyMm(), new MeasureChange(codes[o.MeasureId], o.Value, now)));
        }
        var revisions = changed.GroupBy(c => (c.Area, c.Month))
            .OrderBy(g => areas[g.Key.Area]).ThenBy(g => g.Key.Month)
            .Select(g => new Revision(areas[g.Key.Area], YearMonth.FromYyyyMm(g.Key.Month).ToString(), g.Select(c => c.Change).OrderBy(c => c.Measure).ToList()))
            .ToList();
        return (revisions.Count, revisions.Take(RevisionListCap).ToList(), previousImports);
    }
}

/// <summary>One import's total for an area, month (YYYYMM) and category name.</summary>
public readonly record struct CountSum(int AreaId, int Month, int AliasId, long Total);

public sealed record FreshCounts(int ImportId, IReadOnlyList<CountSum> Sums);
