using Microsoft.AspNetCore.OutputCaching;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class HomeController(DashboardService dashboard, ReportingPeriods periods) : Controller
{
    /// <param name="year">Financial year, e.g. 2009/10; by default the latest with imported data, else the plan's.</param>
    /// <param name="toMonth">Last calendar month included (1-12).</param>
    [HttpGet("/")]
    [OutputCache(PolicyName = ReportPageCache.PolicyName)]
    public async Task<IActionResult> Index(string? year, int? toMonth, CancellationToken ct)
    {
        ReportingPeriod period;
        try { period = await periods.ResolveAsync(year, toMonth, ct); }
        catch (BadParameterException e) { return BadPeriod(this, e); }
        return View(await dashboard.HomeAsync(period, ct));
    }

    /// <summary>A period the reader typed into the address that is not one: 400, with the reason, on the error page.</summary>
    internal static IActionResult BadPeriod(Controller controller, BadParameterException e)
    {
        controller.Response.StatusCode = StatusCodes.Status400BadRequest;
        controller.ViewData["Status"] = 400;
        controller.ViewData["Message"] = e.Message;
        return controller.View("~/Views/Error/Error.cshtml");
    }
}
