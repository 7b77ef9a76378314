using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>
/// The board pack for a period: the plan's typed report (every priority's rows, targets and actions, the measures
/// across the partnership), the monthly series and the stored figures behind it all.
/// </summary>
public sealed class BoardPackService(PlanCatalog plan, ReportService reports, MonthlySeries monthly, Data.Analysis.AnalysisPublishing analyses,
    Data.SmallAreas.Hotspots hotspots, TimeProvider clock)
{
    public async Task<BoardPack> BuildAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var report = await reports.HomeReportAsync(period, ct);
        var periods = period.Periods;
        var area = report.Area;

        // The monthly series and stored figures cover both compared years, April of the earlier to the last month.
        var from = periods.Previous.From;
        var to = periods.Current.To;
        // Every measure has a row of the report (its priority's or "across the partnership").
        var series = await monthly.ReadAsync(report.AllRows.Select(r => r.Measure.Id).ToList(), area.Id, from, to, ct);
        var figures = (await plan.FiguresAsync(area.Id, from, to, ct))
            .OrderBy(f => f.Measure!.SortOrder).ThenBy(f => f.Measure!.Code).ThenBy(f => f.From).ThenBy(f => f.To)
            .Select(f => new StoredFigure(f.Measure!.Code, f.Measure.Name, area.Name, f.From.ToString(), f.To.ToString(), f.Value, f.Measure.Unit.ToString(),
                FigureSources.Word(f.Source), f.SourceNote, f.EnteredBy, f.EnteredAt))
            .ToList();

        var sources = report.AllRows.Where(r => r.Current is not null)
            .Select(r => new PackSource(r.Measure.Code, r.Measure.Name, $"{r.Periods.Current.From} to {r.Periods.Current.To}", ReportText.Source(r)!, r.Current!.Note))
            .ToList();
        var cover = new PackCover(report.Plan.Title, report.Plan.Partnership, report.Plan.Years, area.Name, period,
            periods.Current.Describe(), periods.Previous.Describe(), clock.GetLocalNow(), sources);
        var published = await analyses.LatestAsync(area.Name, ct);
        return new BoardPack(cover, report.Priorities.Select(p => new PackPriority(p.Code, p.Title, p.Aim, p.Rows,
            p.Targets.Select(TargetRow.Of).ToList(), p.Actions.Select(ActionView.Of).ToList()) { Analysis = published.GetValueOrDefault(p.Code) }).ToList(),
            report.PartnershipMeasures, series, figures) { Hotspots = await HotspotsAsync(report, period, ct) };
    }

    /// <summary>Each priority's headline crime measures by ward, where ward files cover the period (none otherwise).</summary>
    private async Task<IReadOnlyList<SmallAreas.HotspotsJson>> HotspotsAsync(PlanReport report, ReportingPeriod period, CancellationToken ct) =>
        (await hotspots.ForEachAsync(report.Priorities.SelectMany(p => p.Headlines).Select(r => r.Measure.Code).Distinct().ToList(),
            report.Area.Name, period, SmallAreaKind.Ward, ct)).Select(SmallAreas.HotspotsJson.Of).ToList();
}
