using Microsoft.AspNetCore.OutputCaching;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class PrioritiesController(DashboardService dashboard, ReportingPeriods periods) : Controller
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
        return model is null ? NotFound() : View(model);
    }
}
