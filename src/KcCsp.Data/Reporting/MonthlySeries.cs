using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>One month's value of a measure for an area, and where it came from.</summary>
public sealed record MonthlyPoint(string Measure, string MeasureName, string Area, string Month, decimal Value, string Source, string SourceNote);

/// <summary>
/// Monthly values of measures, for the board pack's data sheet and the API's series: the monthly values derived from
/// imported crime extracts, and, for months without them, single-month figures entered by analysts or published.
/// The precedence is the same as <see cref="MeasureValues"/>'s.
/// </summary>
public sealed class MonthlySeries(KcCspDbContext db)
{
    /// <summary>Every month from <paramref name="from"/> to <paramref name="to"/> that has a value, per measure, oldest first.</summary>
    public async Task<IReadOnlyList<MonthlyPoint>> ReadAsync(IReadOnlyCollection<int> measureIds, int areaId, YearMonth from, YearMonth to, CancellationToken ct = default)
    {
        var measures = await db.Measures.AsNoTracking().Where(m => measureIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var area = await db.Areas.AsNoTracking().SingleAsync(a => a.Id == areaId, ct);
        var imported = await db.MeasureMonthValues.AsNoTracking()
            .Where(v => measureIds.Contains(v.MeasureId) && v.AreaId == areaId && v.Month >= from && v.Month <= to)
            .ToListAsync(ct);
        var importIds = imported.Select(v => v.ImportId).Distinct().ToList();
        var files = await db.CrimeImports.AsNoTracking().Where(i => importIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => CrimeSources.Describe(i.Source) + ", import #" + i.Id + " " + i.FileName, ct);
        var points = imported.Select(v => (v.MeasureId, v.Month, Point: new MonthlyPoint(measures[v.MeasureId].Code, measures[v.MeasureId].Name, area.Name,
            v.Month.ToString(), v.Value, FigureSources.Word(FigureSource.Imported), files[v.ImportId]))).ToList();
        var covered = points.Select(p => (p.MeasureId, p.Month)).ToHashSet();

        var figures = await db.Figures.AsNoTracking()
            .Where(f => measureIds.Contains(f.MeasureId) && f.AreaId == areaId && f.From == f.To && f.From >= from && f.To <= to)
            .ToListAsync(ct);
        points.AddRange(figures
            .Where(f => !covered.Contains((f.MeasureId, f.From)))
            .GroupBy(f => (f.MeasureId, f.From))
            .Select(g => FigurePrecedence.Preferred(g)!)
            .Select(f => (f.MeasureId, f.From, new MonthlyPoint(measures[f.MeasureId].Code, measures[f.MeasureId].Name, area.Name, f.From.ToString(), f.Value,
                FigureSources.Word(f.Source), f.SourceNote))));
        return points
            .OrderBy(p => measures[p.MeasureId].SortOrder).ThenBy(p => measures[p.MeasureId].Code).ThenBy(p => p.Month)
            .Select(p => p.Point)
            .ToList();
    }

    private IReadOnlyList<YearMonth>? importedMonths;

    /// <summary>Every month that imported crime extracts cover; read once per request (this service is scoped).</summary>
    public async Task<IReadOnlyList<YearMonth>> ImportedMonthsAsync(CancellationToken ct = default) =>
        importedMonths ??= await db.MeasureMonthValues.AsNoTracking()
            // The plan in scope's measures only: another partnership's newer data does not move this plan's default period.
            .Where(v => db.Measures.Any(m => m.Id == v.MeasureId)).Select(v => v.Month).Distinct().ToListAsync(ct);

    /// <summary>The latest month any imported crime extract covers, or null when nothing has been imported.</summary>
    public async Task<YearMonth?> LatestImportedMonthAsync(CancellationToken ct = default)
    {
        var months = await ImportedMonthsAsync(ct);
        return months.Count == 0 ? null : months.Max();
    }
}
