using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.SmallAreas;

/// <summary>One ward's (or LSOA's) part of a measure: this period, the same months a year earlier, and what follows.</summary>
public sealed record Hotspot
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public long Value { get; init; }
    /// <summary>Null when there is no like-for-like: the code is not in the files of the earlier months (a new ward).</summary>
    public long? Previous { get; init; }
    public decimal? ChangePercent { get; init; }
    /// <summary>The Poisson means test of the two counts (95%), where both exist.</summary>
    public SignificanceResult? Significance { get; init; }
    /// <summary>Share of the borough's total of the small areas this period, in per cent.</summary>
    public decimal SharePercent { get; init; }
    /// <summary>Offences per 1,000 residents this period, where a ward population estimate is loaded (the nearest year).</summary>
    public decimal? RatePer1000 { get; init; }
    /// <summary>The population the rate divides by, and its year.</summary>
    public long? Population { get; init; }
    public int? PopulationYear { get; init; }
    public bool LikeForLike => Previous is not null;
}

/// <summary>A measure's small areas in one borough and period, largest first, and where every figure came from.</summary>
public sealed record HotspotTable
{
    public required string MeasureCode { get; init; }
    public required string MeasureName { get; init; }
    public required string Area { get; init; }
    /// <summary>The area's ONS code, where it has one (the map's boundaries are found by it).</summary>
    public string? AreaCode { get; init; }
    public required SmallAreaKind Level { get; init; }
    public required LikeForLike Periods { get; init; }
    public required IReadOnlyList<Hotspot> SmallAreas { get; init; }
    /// <summary>The small areas' total this period and a year earlier (of those with like-for-like figures for the latter).</summary>
    public long Total { get; init; }
    public long? PreviousTotal { get; init; }
    /// <summary>The imports whose small-area counts these are, newest first.</summary>
    public required IReadOnlyList<int> Imports { get; init; }
    /// <summary>Months of either period no small-area file covers (the table is then partial, and says so).</summary>
    public required IReadOnlyList<YearMonth> MissingMonths { get; init; }
}

/// <summary>The measure has no small-area counts for the area and period asked: nothing to rank.</summary>
public sealed class NoSmallAreaDataException(string message) : BadParameterException("measure", message, "There are no small-area figures for this measure, area and period.");

/// <summary>
/// Hotspots: a crime measure's counts by ward or LSOA, read from the stored counts of the newest applied import of that
/// kind covering each borough-month (borough files carry no small areas, so a borough file imported later does not
/// hide them). Computed on demand for one borough: what all measures share (the area, the authoritative import of each
/// month, the small areas and their populations) is read once, then each measure's category names and counts.
/// </summary>
public sealed class Hotspots(KcCspDbContext db)
{
    /// <summary>What every measure's table for one area, period and level shares.</summary>
    /// <remarks><see cref="BySource"/>: per source (MPS, police.uk), the authoritative import of each month — authority is
    /// per source, and a measure reads the imports of its own categories' source.</remarks>
    private sealed record Scope(Area Area, LikeForLike Periods, SmallAreaKind Level, IReadOnlyDictionary<string, Dictionary<YearMonth, int>> BySource,
        IReadOnlyList<SmallArea> SmallAreas, IReadOnlyDictionary<string, SmallAreaPopulation> Populations)
    {
        public bool CoversCurrent => BySource.Values.Any(Covers);
        public bool Covers(IReadOnlyDictionary<YearMonth, int> authoritative) => Periods.Current.Months.Any(authoritative.ContainsKey);
    }

    /// <summary>One measure's table; a clear refusal when the measure is not counted from extracts or no file covers the period.</summary>
    public async Task<HotspotTable> ForAsync(string measureCode, string areaName, ReportingPeriod period, SmallAreaKind level, CancellationToken ct = default)
    {
        var area = ReportService.FindArea(await db.Areas.AsNoTracking().ToListAsync(ct), areaName) ?? throw new UnknownAreaException(areaName);
        var measure = await db.Measures.AsNoTracking().SingleOrDefaultAsync(m => m.Code == measureCode, ct) ?? throw new UnknownMeasureException(measureCode);
        var word = SmallAreaCodes.Word(level);
        if (measure.Source != MeasureSource.CrimeExtract)
            throw new NoSmallAreaDataException($"{measure.Name} is not counted from crime extracts: it has no {word} figures.");
        var scope = await ScopeAsync(area, period, level, ct);
        return await TableAsync(scope, measure, ct)
            ?? throw new NoSmallAreaDataException($"No {word}-level file covers {area.Name} for {scope.Periods.Current.Describe()}: import an MPS {word}-level release (or a police.uk file, for police.uk measures) to see where {measure.Name.ToLowerInvariant()} is.");
    }

    /// <summary>
    /// The tables of those of <paramref name="measureCodes"/> that are counted from extracts, in their order; none when no
    /// file of the level covers the period (the priority page's "Where" and the board pack's Hotspots sheet).
    /// </summary>
    public async Task<IReadOnlyList<HotspotTable>> ForEachAsync(IReadOnlyList<string> measureCodes, string areaName, ReportingPeriod period, SmallAreaKind level, CancellationToken ct = default)
    {
        if (measureCodes.Count == 0 || ReportService.FindArea(await db.Areas.AsNoTracking().ToListAsync(ct), areaName) is not { } area) return [];
        var scope = await ScopeAsync(area, period, level, ct);
        if (!scope.CoversCurrent) return [];
        var measures = await db.Measures.AsNoTracking().Where(m => measureCodes.Contains(m.Code) && m.Source == MeasureSource.CrimeExtract && m.ShareOfMeasureId == null).ToListAsync(ct);
        var tables = new List<HotspotTable>();
        foreach (var measure in measures.OrderBy(m => IndexOf(measureCodes, m.Code)))
            if (await TableAsync(scope, measure, ct) is { } table) tables.Add(table);
        return tables;
    }

    private static int IndexOf(IReadOnlyList<string> codes, string code)
    {
        for (var i = 0; i < codes.Count; i++) if (codes[i] == code) return i;
        return codes.Count;
    }

    private async Task<Scope> ScopeAsync(Area area, ReportingPeriod period, SmallAreaKind level, CancellationToken ct)
    {
        var periods = period.Periods;
        var (first, last) = (periods.Previous.From, periods.Current.To);
        var covering = await (from k in db.ImportCoverages
                              join i in db.CrimeImports on k.ImportId equals i.Id
                              where k.AreaId == area.Id && i.Status == ImportStatus.Applied && i.SmallAreaKind == level && k.Month >= first && k.Month <= last
                              select new { k.Month, k.ImportId, i.Source }).ToListAsync(ct);
        var bySource = covering.GroupBy(c => c.Source)
            .ToDictionary(s => s.Key, s => s.GroupBy(c => c.Month).ToDictionary(g => g.Key, g => g.Max(c => c.ImportId)));
        if (bySource.Count == 0) return new Scope(area, periods, level, bySource, [], new Dictionary<string, SmallAreaPopulation>());
        var smallAreas = await db.SmallAreas.AsNoTracking().Where(s => s.AreaId == area.Id && s.Kind == level).ToListAsync(ct);
        // Rates per 1,000 from the ward estimate nearest the period's first year (ward estimates are published years late).
        var codes = smallAreas.Select(a => a.Code).ToList();
        var startYear = periods.Current.From.Year;
        var populations = (await db.SmallAreaPopulations.AsNoTracking().Where(p => codes.Contains(p.Code)).ToListAsync(ct))
            .GroupBy(p => p.Code).ToDictionary(g => g.Key, g => g.OrderBy(p => Math.Abs(p.Year - startYear)).ThenByDescending(p => p.Year).First());
        return new Scope(area, periods, level, bySource, smallAreas, populations);
    }

    /// <summary>The measure's table, or null when no file of its source covers the period's current months.</summary>
    private async Task<HotspotTable?> TableAsync(Scope scope, Measure measure, CancellationToken ct)
    {
        var (area, periods) = (scope.Area, scope.Periods);
        var (first, last) = (periods.Previous.From, periods.Current.To);

        // The measure's category names: every MPS name for total notifiable offences, else those mapped to its categories
        // (whose taxonomy says which source's imports it reads).
        var names = measure.Code == Seed.CategorySeeder.AllCategoriesMeasure
            ? null
            : await (from a in db.CategoryAliases
                     join mc in db.MeasureCategories on a.CategoryId equals mc.CategoryId
                     join c in db.CrimeCategories on mc.CategoryId equals c.Id
                     where mc.MeasureId == measure.Id
                     select new { a.Id, c.Taxonomy }).ToListAsync(ct);
        var aliasIds = names?.Select(n => n.Id).ToList();
        var source = names?.FirstOrDefault()?.Taxonomy ?? CrimeSources.Mps;
        if (scope.BySource.GetValueOrDefault(source) is not { } authoritative || !scope.Covers(authoritative)) return null;
        var importIds = authoritative.Values.Distinct().ToList();
        var counts = db.CrimeCounts.AsNoTracking()
            .Where(c => importIds.Contains(c.ImportId) && c.AreaId == area.Id && c.SmallAreaCode != null && c.Month >= first && c.Month <= last);
        if (aliasIds is not null) counts = counts.Where(c => aliasIds.Contains(c.AliasId));
        var sums = await counts.GroupBy(c => new { c.ImportId, c.SmallAreaCode, c.Month })
            .Select(g => new { g.Key.ImportId, g.Key.SmallAreaCode, g.Key.Month, Total = g.Sum(c => (long)c.Count) }).ToListAsync(ct);

        var current = new Dictionary<string, long>();
        var previous = new Dictionary<string, long>();
        foreach (var s in sums)
        {
            // Only the authoritative import's counts for each month: an older release's counts of the same month are history.
            if (authoritative.GetValueOrDefault(s.Month) != s.ImportId) continue;
            var into = periods.Current.Contains(s.Month) ? current : periods.Previous.Contains(s.Month) ? previous : null;
            if (into is null) continue;
            into[s.SmallAreaCode!] = into.GetValueOrDefault(s.SmallAreaCode!) + s.Total;
        }
        // A small area compares like with like when the files of the earlier months list its code (with or without counts).
        var previousCovered = periods.Previous.Months.All(authoritative.ContainsKey);
        bool Comparable(SmallArea a) => previousCovered && a.FirstMonth <= periods.Previous.From && a.LastMonth >= periods.Previous.To;
        var listed = scope.SmallAreas.Where(a => a.LastMonth >= periods.Current.From && a.FirstMonth <= periods.Current.To || current.ContainsKey(a.Code)).ToList();
        var total = listed.Sum(a => current.GetValueOrDefault(a.Code));
        var rows = listed.Select(a =>
        {
            var value = current.GetValueOrDefault(a.Code);
            long? before = Comparable(a) ? previous.GetValueOrDefault(a.Code) : null;
            var population = scope.Populations.GetValueOrDefault(a.Code);
            return new Hotspot
            {
                Code = a.Code, Name = a.Name, Value = value, Previous = before,
                ChangePercent = before is { } b ? Change.Percent(value, b) : null,
                Significance = before is { } p && (p > 0 || value > 0) ? PoissonMeansTest.Test(p, value) : null,
                SharePercent = total == 0 ? 0 : Change.RoundHalfAwayFromZero(100m * value / total, 1),
                RatePer1000 = population is { Value: > 0 } ? Rate.Per1000(value, population.Value) : null,
                Population = population?.Value,
                PopulationYear = population?.Year,
            };
        }).OrderByDescending(h => h.Value).ThenBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList();

        var missing = periods.Previous.Months.Concat(periods.Current.Months).Where(m => !authoritative.ContainsKey(m)).ToList();
        return new HotspotTable
        {
            MeasureCode = measure.Code, MeasureName = measure.Name, Area = area.Name, AreaCode = area.Code, Level = scope.Level, Periods = periods, SmallAreas = rows,
            Total = total, PreviousTotal = rows.Any(r => r.LikeForLike) ? rows.Sum(r => r.Previous ?? 0) : null,
            Imports = importIds.OrderDescending().ToList(), MissingMonths = missing,
        };
    }
}
