using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>
/// The plan's records as they are stored — priorities, measures with their targets, actions, the home area, stored
/// figures — read without tracking, for the JSON API and the board pack to shape at their edge.
/// </summary>
public sealed class PlanCatalog(KcCspDbContext db)
{
    public Task<List<Priority>> PrioritiesAsync(CancellationToken ct = default) =>
        db.Priorities.AsNoTracking().Include(p => p.Measures).Include(p => p.Actions).AsSplitQuery().OrderBy(p => p.SortOrder).ToListAsync(ct);

    public Task<bool> PriorityExistsAsync(string code, CancellationToken ct = default) => db.Priorities.AnyAsync(p => p.Code == code, ct);

    /// <summary>Every measure with its priority, the measure it is a rate of and its targets: the plan's priorities in order, then the rest.</summary>
    public Task<List<Measure>> MeasuresAsync(CancellationToken ct = default) =>
        MeasureQuery().OrderBy(m => m.PriorityId == null).ThenBy(m => m.Priority!.SortOrder).ThenBy(m => m.SortOrder).ToListAsync(ct);

    /// <summary>One measure with its priority, the measure it is a rate of and its targets; null when there is none.</summary>
    public Task<Measure?> MeasureAsync(string code, CancellationToken ct = default) => MeasureQuery().SingleOrDefaultAsync(m => m.Code == code, ct);

    /// <summary>One measure on its own; null when there is none.</summary>
    public Task<Measure?> FindMeasureAsync(string code, CancellationToken ct = default) =>
        db.Measures.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);

    /// <summary>Every action, or one priority's, with its priority, in the plan's order.</summary>
    public Task<List<PlanAction>> ActionsAsync(string? priorityCode, CancellationToken ct = default) =>
        db.Actions.AsNoTracking().Include(a => a.Priority)
            .Where(a => priorityCode == null || a.Priority!.Code == priorityCode)
            .OrderBy(a => a.Priority!.SortOrder).ThenBy(a => a.SortOrder).ToListAsync(ct);

    public async Task<Area> HomeAreaAsync(CancellationToken ct = default) =>
        (await db.ScopedPlan.AsNoTracking().Include(p => p.HomeArea).FirstAsync(ct)).HomeArea!;

    /// <summary>The figures stored for an area that lie within the months given, with their measures.</summary>
    public Task<List<Figure>> FiguresAsync(int areaId, YearMonth from, YearMonth to, CancellationToken ct = default) =>
        db.Figures.AsNoTracking().Include(f => f.Measure).Where(f => f.AreaId == areaId && f.From >= from && f.To <= to).ToListAsync(ct);

    private IQueryable<Measure> MeasureQuery() =>
        db.Measures.AsNoTracking().Include(m => m.Priority).Include(m => m.RateOfMeasure).Include(m => m.Targets).AsSplitQuery();
}
