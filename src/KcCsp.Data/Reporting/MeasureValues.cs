using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>A measure's value for an area and period, and the stored rows it came from.</summary>
public sealed record FoundValue(decimal Value, FigureSource Source, string Note, Figure? Figure);

/// <summary>
/// Finds the value of a measure for an area over a period from what is stored. Precedence: figures from
/// imported crime extracts that cover every month of the period, then figures entered by analysts, then
/// the plan's published figures. Rates per 1,000 are derived from their count measure and the population.
/// </summary>
public sealed class MeasureValues(KcCspDbContext db)
{
    public async Task<FoundValue?> FindAsync(Measure measure, Area area, Period period, CancellationToken ct = default)
    {
        if (await ImportedAsync(measure, area, period, ct) is { } imported)
        {
            return imported;
        }

        var figure = await db.Figures.AsNoTracking()
            .Where(f => f.MeasureId == measure.Id && f.AreaId == area.Id && f.From == period.From && f.To == period.To)
            .ToListAsync(ct);
        var best = Preferred(figure);
        if (best is not null)
        {
            return new FoundValue(best.Value, best.Source, best.SourceNote, best);
        }

        if (measure.Unit == MeasureUnit.RatePer1000 && measure.RateOfMeasureId is { } countId)
        {
            var countMeasure = await db.Measures.AsNoTracking().SingleAsync(m => m.Id == countId, ct);
            var count = await FindAsync(countMeasure, area, period, ct);
            var population = await PopulationForAsync(area, period.From.FinancialYear, ct);
            if (count is not null && population is { } p)
            {
                return new FoundValue(Rate.Per1000(count.Value, p.Value), count.Source,
                    $"{countMeasure.Name} {count.Value:0} per 1,000 of {p.Value:N0} residents ({p.Source} {p.Year})", null);
            }
        }
        return null;
    }

    /// <summary>
    /// The sum of the stored monthly values derived from imported crime extracts, when they cover every month of the
    /// period (a period only partly covered is not reported as if it were whole).
    /// </summary>
    public async Task<FoundValue?> ImportedAsync(Measure measure, Area area, Period period, CancellationToken ct = default)
    {
        var months = await db.MeasureMonthValues.AsNoTracking()
            .Where(v => v.MeasureId == measure.Id && v.AreaId == area.Id && v.Month >= period.From && v.Month <= period.To)
            .Select(v => new { v.Value, v.ImportId })
            .ToListAsync(ct);
        if (months.Count == 0 || months.Count != period.MonthCount) return null;
        var importIds = months.Select(m => m.ImportId).Distinct().Order().ToList();
        var files = await db.CrimeImports.AsNoTracking().Where(i => importIds.Contains(i.Id)).OrderBy(i => i.Id)
            .Select(i => "#" + i.Id + " " + i.FileName).ToListAsync(ct);
        return new FoundValue(months.Sum(m => m.Value), FigureSource.Imported, $"MPS crime extract, import {string.Join("; ", files)}", null);
    }

    /// <summary>Of several stored figures for the same measure, area and period: an analyst's entry, then an imported
    /// figure, then the plan's published one; the latest entered first.</summary>
    public static Figure? Preferred(IEnumerable<Figure> figures) => figures
        .OrderBy(f => f.Source == FigureSource.Manual ? 0 : f.Source == FigureSource.Imported ? 1 : 2)
        .ThenByDescending(f => f.EnteredAt.UtcTicks)
        .FirstOrDefault();

    /// <summary>The population used for a financial year: the mid-year estimate of the year it starts in.</summary>
    public Task<Population?> PopulationForAsync(Area area, FinancialYear year, CancellationToken ct = default) =>
        db.Populations.AsNoTracking().FirstOrDefaultAsync(p => p.AreaId == area.Id && p.Year == year.StartYear, ct);

    /// <summary>The latest month to which a figure for this measure and area runs within the financial year, from its first month.</summary>
    public async Task<YearMonth?> LatestYearToDateEndAsync(Measure measure, Area area, FinancialYear year, YearMonth notAfter, CancellationToken ct = default)
    {
        var ends = await db.Figures.AsNoTracking()
            .Where(f => f.MeasureId == measure.Id && f.AreaId == area.Id && f.From == year.Start && f.To <= notAfter)
            .Select(f => f.To)
            .ToListAsync(ct);
        return ends.Count == 0 ? null : ends.Max();
    }
}
