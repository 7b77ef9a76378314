using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Analysis;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>The whole board pack as one printable page: every priority from a new sheet of paper, with its charts.</summary>
public sealed class BoardPackPrintController(ReportService reports, ReportingPeriods periods, AnalysisPages analysis) : Controller
{
    [HttpGet("/board-pack/print")]
    public async Task<IActionResult> Index(string? year, int? toMonth, CancellationToken ct)
    {
        ReportingPeriod period;
        try { period = await periods.ResolveAsync(year, toMonth, ct); }
        catch (BadParameterException e) { return HomeController.BadPeriod(this, e); }
        var report = await reports.HomeReportAsync(period, ct);
        // The board pack carries what analysts published, never a draft.
        var published = await analysis.PublishedAsync(report.Area.Name, ct);
        return View(new BoardPackPrintModel(PlanHeader.Of(report), report.Priorities.Select(p => DashboardService.Priority(report, p) with
        {
            Analysis = new PriorityAnalysisView(p.Code, report.Area.Name, published.GetValueOrDefault(p.Code), null, null, period.Periods.Current),
        }).ToList()));
    }
}

public sealed record BoardPackPrintModel(PlanHeader Plan, IReadOnlyList<PriorityViewModel> Priorities);
