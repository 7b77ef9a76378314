using Microsoft.AspNetCore.OutputCaching;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Analysis;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class PrioritiesController(DashboardService dashboard, ReportingPeriods periods, AnalysisPages analysis) : Controller
{
    [HttpGet("/priorities/{code}")]
    [OutputCache(PolicyName = ReportPageCache.PolicyName)]
    /// <param name="baselineTo">The last month (YYYY-MM) of the XmR charts' baseline; by default the months before the period.</param>
    public async Task<IActionResult> Show(string code, string? year, int? toMonth, string? baselineTo, CancellationToken ct)
    {
        ReportingPeriod period;
        try { period = await periods.ResolveAsync(year, toMonth, baselineTo, ct); }
        catch (BadParameterException e) { return HomeController.BadPeriod(this, e); }
        var model = await dashboard.PriorityAsync(code, period, ct);
        if (model is null) return NotFound();
        // Board members read only what analysts published; analysts see the draft for the page's period beside it.
        var withDraft = User.IsInRole(KcCsp.Data.Model.Roles.Analyst);
        return View(model with { Analysis = await analysis.ForPriorityPageAsync(code, model.Plan.Area, period.Periods.Current, withDraft, ct) });
    }
}
