using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>
/// Builds the board pack for a period: every priority's Section-2-style table, targets and actions, the measures
/// across the partnership, the monthly series and the stored figures behind it all. Each measure is compared once.
/// </summary>
public sealed class BoardPackService(KcCspDbContext db, ComparisonService comparisons, MonthlySeries monthly, ActionUpdates updates, TimeProvider clock)
{
    public async Task<BoardPack> BuildAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.HomeArea).OrderBy(p => p.Id).FirstAsync(ct);
        var area = plan.HomeArea!;
        var periods = period.Periods;

        var priorities = await db.Priorities.AsNoTracking().Where(p => p.PlanId == plan.Id)
            .Include(p => p.Measures).Include(p => p.Actions).AsSplitQuery()
            .OrderBy(p => p.SortOrder).ToListAsync(ct);
        var targets = await db.Targets.AsNoTracking().Include(t => t.Measure).ToListAsync(ct);
        var measures = await db.Measures.AsNoTracking().OrderBy(m => m.SortOrder).ToListAsync(ct);

        var allActions = priorities.SelectMany(p => p.Actions).ToList();
        var latest = await updates.LatestAsync(allActions.Select(a => a.Id).ToList(), ct);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

        var packPriorities = new List<PackPriority>();
        foreach (var p in priorities)
        {
            var rows = new List<MeasureComparison>();
            foreach (var m in p.Measures.OrderBy(m => m.SortOrder))
                rows.Add(await comparisons.CompareForTableAsync(m, area, period.Year, period.ToMonth, ct));
            var ids = p.Measures.Select(m => m.Id).ToHashSet();
            var priorityTargets = targets.Where(t => ids.Contains(t.MeasureId))
                .OrderBy(t => t.FinancialYear).ThenBy(t => t.Measure!.SortOrder)
                .Select(t => new TargetRow(t.Measure!.Code, t.Measure.Name, t.FinancialYear.ToString(), t.AsPrinted, DashboardService.TargetMeaning(t, t.Measure.Unit), t.Set))
                .ToList();
            var actions = p.Actions.OrderBy(a => a.SortOrder)
                .Select(a => new ActionView(a.Id, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, ActionStatusText.Word(a.Status), a.PercentComplete,
                    People.ActionProgress.IsOverdue(a.DueDate, a.Status, today), latest.TryGetValue(a.Id, out var update) ? update : null))
                .ToList();
            packPriorities.Add(new PackPriority(p.Code, p.Title, p.Aim, rows, priorityTargets, actions));
        }

        var partnership = new List<MeasureComparison>();
        foreach (var m in measures.Where(m => m.PriorityId == null))
            partnership.Add(await comparisons.CompareForTableAsync(m, area, period.Year, period.ToMonth, ct));

        // The monthly series and stored figures cover both compared years, April of the earlier to the last month.
        var from = periods.Previous.From;
        var to = periods.Current.To;
        var series = await monthly.ReadAsync(measures.Select(m => m.Id).ToList(), area.Id, from, to, ct);
        var figures = (await db.Figures.AsNoTracking().Include(f => f.Measure)
                .Where(f => f.AreaId == area.Id && f.From >= from && f.To <= to).ToListAsync(ct))
            .OrderBy(f => f.Measure!.SortOrder).ThenBy(f => f.Measure!.Code).ThenBy(f => f.From).ThenBy(f => f.To)
            .Select(f => new StoredFigure(f.Measure!.Code, f.Measure.Name, area.Name, f.From.ToString(), f.To.ToString(), f.Value, f.Measure.Unit.ToString(),
                ComparisonService.SourceWord(f.Source), f.SourceNote, f.EnteredBy, f.EnteredAt))
            .ToList();

        var sources = packPriorities.SelectMany(p => p.Rows).Concat(partnership).Where(r => r.Source is not null)
            .Select(r => new PackSource(r.Measure, r.MeasureName, $"{r.Period.From} to {r.Period.To}", r.Source!, r.SourceNote ?? ""))
            .ToList();
        var cover = new PackCover(plan.Title, plan.Partnership, plan.Years, area.Name, period,
            periods.Current.Describe(), periods.Previous.Describe(), clock.GetLocalNow(), sources);
        return new BoardPack(cover, packPriorities, partnership, series, figures);
    }
}
