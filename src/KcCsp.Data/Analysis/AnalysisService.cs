using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Analysis;

/// <summary>A part of a headline measure: a component measure (serious acquisitive crime's five) or an MPS category (drugs offences' three).</summary>
internal sealed record AnalysisPart(string Name, string Measure, string? Category, FoundValue? Current, FoundValue? Previous, SignificanceResult? Significance)
{
    public decimal? ChangePercent => Current is not null && Previous is not null ? Change.Percent(Current.Value, Previous.Value) : null;
}

/// <summary>Everything the writer needs about one headline measure of a priority, computed by the one report row.</summary>
internal sealed record HeadlineFigures(Measure Measure, MeasureRow Row, MeasureRow? Total, IReadOnlyList<AnalysisPart> Parts, bool PartsAreCategories, SpcChart? Spc, bool FinancialYearToDate);

/// <summary>
/// Drafts a priority's "what our data tells us" (<see cref="DraftAnalysis"/>) for an area and window from the figures
/// the reports compute: the same values, precedence, London ranks, peer groups, significance tests, projections and XmR
/// charts as the priority page (one <see cref="ReportInputs"/> read), plus the counts of each MPS category of a measure
/// read from the authoritative import of each month. Refuses (<see cref="AnalysisRefusedException"/>) rather than
/// answering an empty draft.
/// </summary>
public sealed class AnalysisService(KcCspDbContext db, TimeProvider clock, SpcSettings spcSettings)
{
    public async Task<DraftAnalysis> DraftAsync(string priorityCode, string areaName, Period window, CancellationToken ct = default)
    {
        var priorities = await db.Priorities.AsNoTracking().OrderBy(p => p.SortOrder).Select(p => new { p.Id, p.Code, p.Title, p.Narrative }).ToListAsync(ct);
        var priority = priorities.SingleOrDefault(p => p.Code == priorityCode)
            ?? throw AnalysisRefusedException.UnknownPriority(priorityCode, priorities.Select(p => p.Code));
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        var area = ReportService.FindArea(areas, areaName) ?? throw AnalysisRefusedException.UnknownArea(areaName);
        var thisMonth = YearMonth.FromDate(Today.Of(clock));
        if (window.From > thisMonth)
            throw new BadPeriodException("from", $"The window {window.Describe()} has not started yet: this month is {thisMonth.Describe()}.");

        var measures = await db.Measures.AsNoTracking().ToListAsync(ct);
        var periods = LikeForLike.Of(window);
        // A financial year to date gets what only a year has: a target and a projection to the year end.
        var yearToDate = window.From.Month == FinancialYear.FirstMonth && window.To.FinancialYear == window.From.FinancialYear;
        var inputs = await ReportInputs.LoadAsync(db, measures, areas, area, window.To.FinancialYear, window.To, ct, from: periods.Previous.From, spc: spcSettings);
        MeasureRow RowOf(Measure m) => inputs.Row(m, periods, rolling: !yearToDate);

        var definitions = (await db.MeasureCategories.AsNoTracking().Select(mc => new { mc.MeasureId, mc.CategoryId }).ToListAsync(ct))
            .GroupBy(d => d.MeasureId).ToDictionary(g => g.Key, g => g.Select(d => d.CategoryId).ToHashSet());
        var total = measures.FirstOrDefault(m => m.Code == Seed.CategorySeeder.AllCategoriesMeasure);
        var totalRow = total is null ? null : RowOf(total);
        var own = measures.Where(m => m.PriorityId == priority.Id).OrderBy(m => m.SortOrder).ThenBy(m => m.Id).ToList();
        var headlines = own.Where(m => m.IsHeadline).ToList();
        if (headlines.Count == 0) headlines = own.Take(1).ToList();

        var figures = new List<HeadlineFigures>();
        var missing = new List<Measure>();
        CategoryCounts? categories = null;
        foreach (var headline in headlines)
        {
            var row = RowOf(headline);
            if (row.Current is null) { missing.Add(headline); continue; }
            var parts = new List<AnalysisPart>();
            var partsAreCategories = false;
            if (headline.Unit == MeasureUnit.Count && definitions.TryGetValue(headline.Id, out var mine) && !mine.SetEquals(definitions.GetValueOrDefault(total?.Id ?? -1) ?? []))
            {
                var components = Components(headline, mine, measures, definitions);
                if (components.Count >= 2)
                {
                    foreach (var c in components)
                    {
                        var r = RowOf(c);
                        parts.Add(new AnalysisPart(c.Name, c.Code, null, r.Current, r.Previous, r.Significance));
                    }
                }
                else if (mine.Count >= 2)
                {
                    categories ??= await CategoryCounts.ReadAsync(db, area.Id, periods, ct);
                    parts.AddRange(categories.Parts(headline, mine));
                    partsAreCategories = true;
                }
            }
            var spc = yearToDate ? row.Spc : inputs.SpcOf(headline, window);
            figures.Add(new HeadlineFigures(headline, row, totalRow?.Current is null ? null : totalRow, parts.Where(p => p.Current is not null).ToList(), partsAreCategories, spc, yearToDate));
        }
        if (figures.Count == 0)
        {
            var names = string.Join(" and ", missing.Select(m => AnalysisWriter.Lower(m.Name)));
            throw AnalysisRefusedException.NoData(
                $"There are no figures for {names} in {area.Name} for {window.Describe()}: import the MPS extracts that cover these months, or enter the figures, then draft again.");
        }

        var facts = new AnalysisFacts(area.Name);
        var paragraphs = new List<string>();
        foreach (var f in figures) paragraphs.AddRange(AnalysisWriter.Write(f, area.Name, window, periods, facts));
        foreach (var m in missing)
            paragraphs.Add($"There are no figures for {AnalysisWriter.Lower(m.Name)} in {area.Name} {AnalysisWriter.Between(window)}.");
        return new DraftAnalysis
        {
            Priority = priority.Code,
            PriorityTitle = priority.Title,
            Area = area.Name,
            Window = window,
            Paragraphs = paragraphs,
            Facts = facts.All,
            PlanText = priority.Narrative,
        };
    }

    /// <summary>A priority's code and title, or null when there is none with the code.</summary>
    public async Task<(string Code, string Title)?> FindPriorityAsync(string code, CancellationToken ct = default) =>
        await db.Priorities.AsNoTracking().Where(p => p.Code == code).Select(p => new { p.Code, p.Title }).FirstOrDefaultAsync(ct) is { } p ? (p.Code, p.Title) : null;

    /// <summary>The area the plan is about: where pages draft and publish.</summary>
    public async Task<string> HomeAreaAsync(CancellationToken ct = default) =>
        await db.ScopedPlan.AsNoTracking().Select(p => p.HomeArea!.Name).FirstAsync(ct);

    /// <summary>
    /// The measures a composite measure is made of: count measures over part of its categories, the smallest such (so
    /// robbery gives way to personal and business robbery), when they do not overlap and together cover it.
    /// </summary>
    private static List<Measure> Components(Measure headline, HashSet<int> mine, List<Measure> measures, Dictionary<int, HashSet<int>> definitions)
    {
        var candidates = measures.Where(m => m.Id != headline.Id && m.Unit == MeasureUnit.Count && definitions.TryGetValue(m.Id, out var c) && c.Count > 0 && c.IsProperSubsetOf(mine)).ToList();
        var smallest = candidates.Where(c => !candidates.Any(o => o.Id != c.Id && definitions[o.Id].IsProperSubsetOf(definitions[c.Id]))).ToList();
        var seen = new HashSet<int>();
        foreach (var c in smallest)
            if (!definitions[c.Id].All(seen.Add)) return [];
        return seen.SetEquals(mine) ? smallest.OrderBy(m => m.SortOrder).ThenBy(m => m.Id).ToList() : [];
    }
}

/// <summary>
/// An area's counts per canonical category for a comparison's months, from the import that is authoritative for each
/// month among its own source's imports (the latest applied import of the category's taxonomy covering it, as
/// <see cref="Importing.MeasureValueRecomputer"/> uses). Two queries plus
/// one per import involved.
/// </summary>
internal sealed class CategoryCounts
{
    private readonly Dictionary<(int Category, YearMonth Month), long> counts = [];
    /// <summary>By source and month: authority is per source, and a category reads its own taxonomy's imports.</summary>
    private readonly Dictionary<(string Source, YearMonth Month), (int Id, string File)> authoritative = [];
    private Dictionary<int, (string Code, string Name, string Taxonomy)> categories = [];
    private LikeForLike periods = null!;

    public static async Task<CategoryCounts> ReadAsync(KcCspDbContext db, int areaId, LikeForLike periods, CancellationToken ct)
    {
        var first = periods.Previous.From;
        var last = periods.Current.To;
        var result = new CategoryCounts { periods = periods };
        var months = await (from c in db.ImportCoverages.AsNoTracking()
                            join i in db.CrimeImports on c.ImportId equals i.Id
                            where c.AreaId == areaId && c.Month >= first && c.Month <= last && i.Status == ImportStatus.Applied
                            group c by new { i.Source, c.Month } into g
                            select new { g.Key.Source, g.Key.Month, ImportId = g.Max(c => c.ImportId) }).ToListAsync(ct);
        var importIds = months.Select(m => m.ImportId).Distinct().ToList();
        var files = await db.CrimeImports.AsNoTracking().Where(i => importIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FileName, ct);
        foreach (var m in months) result.authoritative[(m.Source, m.Month)] = (m.ImportId, files[m.ImportId]);
        var aliases = await db.CategoryAliases.AsNoTracking().Where(a => a.CategoryId != null).ToDictionaryAsync(a => a.Id, a => a.CategoryId!.Value, ct);
        result.categories = await db.CrimeCategories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => (c.Code, c.Name, c.Taxonomy), ct);
        foreach (var importId in importIds)
        {
            var sums = await db.CrimeCounts.AsNoTracking()
                .Where(c => c.ImportId == importId && c.AreaId == areaId && c.Month >= first && c.Month <= last)
                .GroupBy(c => new { c.Month, c.AliasId }).Select(g => new { g.Key.Month, g.Key.AliasId, Total = g.Sum(c => (long)c.Count) })
                .ToListAsync(ct);
            foreach (var s in sums)
            {
                if (!aliases.TryGetValue(s.AliasId, out var category)
                    || !result.authoritative.TryGetValue((result.categories[category].Taxonomy, s.Month), out var owner) || owner.Id != importId) continue;
                result.counts[(category, s.Month)] = result.counts.GetValueOrDefault((category, s.Month)) + s.Total;
            }
        }
        return result;
    }

    /// <summary>Each category of a measure, this window and the same months a year earlier (null where a month is not covered by any import).</summary>
    public IEnumerable<AnalysisPart> Parts(Measure measure, IEnumerable<int> categoryIds)
    {
        foreach (var id in categoryIds.OrderBy(id => categories[id].Name, StringComparer.OrdinalIgnoreCase))
        {
            var now = Sum(id, periods.Current);
            var before = Sum(id, periods.Previous);
            SignificanceResult? significance = null;
            if (now is not null && before is not null)
            {
                var s = PoissonMeansTest.Test((long)before.Value, (long)now.Value);
                significance = s with { PValue = Math.Round(s.PValue, 4) };
            }
            yield return new AnalysisPart(categories[id].Name, measure.Code, categories[id].Code, now, before, significance);
        }
    }

    private FoundValue? Sum(int category, Period period)
    {
        var source = categories[category].Taxonomy;
        if (period.Months.Any(m => !authoritative.ContainsKey((source, m)))) return null;
        var imports = period.Months.Select(m => authoritative[(source, m)]).Distinct().OrderBy(i => i.Id).Select(i => $"#{i.Id} {i.File}");
        return new FoundValue(period.Months.Sum(m => counts.GetValueOrDefault((category, m))), FigureSource.Imported,
            $"{CrimeSources.Describe(source)}, import {string.Join("; ", imports)}");
    }
}
