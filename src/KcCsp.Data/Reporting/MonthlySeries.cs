using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>One month's value of a measure for an area, and where it came from.</summary>
public sealed record MonthlyPoint(string Measure, string MeasureName, string Area, string Month, decimal Value, string Source, string SourceNote);

/// <summary>
/// Monthly values of measures, for the board pack's data sheet and the API's series. Today these are the stored
/// single-month figures (published or entered); monthly counts from imported crime extracts live in the importer's
/// own table, and <see cref="ReadAsync"/> and <see cref="LatestImportedMonthAsync"/> are the only two places that
/// need to read it.
/// </summary>
public sealed class MonthlySeries(KcCspDbContext db)
{
    /// <summary>Every month from <paramref name="from"/> to <paramref name="to"/> that has a value, per measure, oldest first.</summary>
    public async Task<IReadOnlyList<MonthlyPoint>> ReadAsync(IReadOnlyCollection<int> measureIds, int areaId, YearMonth from, YearMonth to, CancellationToken ct = default)
    {
        var figures = await db.Figures.AsNoTracking()
            .Include(f => f.Measure).Include(f => f.Area)
            .Where(f => measureIds.Contains(f.MeasureId) && f.AreaId == areaId && f.From == f.To && f.From >= from && f.To <= to)
            .ToListAsync(ct);
        // The same precedence as MeasureValues: an analyst's entry wins over an import, which wins over the plan's figure.
        return figures
            .GroupBy(f => (f.MeasureId, f.From))
            .Select(g => g.OrderBy(f => f.Source == FigureSource.Manual ? 0 : f.Source == FigureSource.Imported ? 1 : 2)
                .ThenByDescending(f => f.EnteredAt.UtcTicks).First())
            .OrderBy(f => f.Measure!.SortOrder).ThenBy(f => f.Measure!.Code).ThenBy(f => f.From)
            .Select(f => new MonthlyPoint(f.Measure!.Code, f.Measure.Name, f.Area!.Name, f.From.ToString(), f.Value,
                ComparisonService.SourceWord(f.Source), f.SourceNote))
            .ToList();
    }

    /// <summary>The latest month any imported figure runs to, or null when nothing has been imported.</summary>
    public async Task<YearMonth?> LatestImportedMonthAsync(CancellationToken ct = default)
    {
        var ends = await db.Figures.AsNoTracking().Where(f => f.Source == FigureSource.Imported).Select(f => f.To).ToListAsync(ct);
        return ends.Count == 0 ? null : ends.Max();
    }
}
