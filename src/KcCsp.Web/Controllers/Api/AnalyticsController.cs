using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Analytics;
using KcCsp.Web.Features.Api;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers.Api;

/// <summary>The API's analytics: the same records as the CLI's `spc --json`.</summary>
[ApiController]
[Route("api")]
[ApiProblems]
public sealed class AnalyticsController(SpcCharts charts, ReportService reports, ReportingPeriods periods) : ControllerBase
{
    /// <summary>
    /// A measure's rolling twelve months to `to` (YYYY-MM) against the twelve before, for an area: the comparison record
    /// (change, significance, London rank, peer group), as the CLI's `measure --rolling-12 --json` prints it.
    /// </summary>
    [HttpGet("measures/{code}/rolling-12")]
    [ProducesResponseType<MeasureComparison>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RollingTwelve(string code, string? area, string? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(area)) throw BadParameterException.Missing("area", "area: give a borough, e.g. area=Kensington and Chelsea.");
        if (string.IsNullOrWhiteSpace(to)) throw BadParameterException.Missing("to", "to: give the last month of the twelve as YYYY-MM.");
        var end = periods.ParseMonth("to", to);
        try
        {
            return new JsonResult(MeasureComparison.From(await reports.RollingTwelveAsync(code, area, end, ct)), PortalJson.Options);
        }
        catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
        {
            throw new NotFoundInApiException(e.Message);
        }
    }

    /// <summary>
    /// An XmR chart of a measure's monthly values for an area (a borough name or ONS code) from one month to another
    /// (YYYY-MM), with the mean and limits from `from` to `baselineTo` (default: every month of the chart).
    /// </summary>
    [HttpGet("measures/{code}/spc")]
    [ProducesResponseType<SpcJson>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Spc(string code, string? area, string? from, string? to, string? baselineTo, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(area)) throw BadParameterException.Missing("area", "area: give a borough, e.g. area=Kensington and Chelsea.");
        if (string.IsNullOrWhiteSpace(from)) throw BadParameterException.Missing("from", "from and to: give the chart's first and last months as YYYY-MM.");
        if (string.IsNullOrWhiteSpace(to)) throw BadParameterException.Missing("to", "from and to: give the chart's first and last months as YYYY-MM.");
        var first = periods.ParseMonth("from", from);
        var last = periods.ParseMonth("to", to);
        var baseline = string.IsNullOrWhiteSpace(baselineTo) ? (Domain.YearMonth?)null : periods.ParseMonth("baselineTo", baselineTo);
        try
        {
            return new JsonResult(SpcJson.Of(await charts.ChartAsync(code, area, first, last, baseline, ct)), PortalJson.Options);
        }
        catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
        {
            throw new NotFoundInApiException(e.Message);
        }
        catch (SpcPeriodException e)
        {
            throw new BadPeriodException(e.Parameter, e.Message);
        }
    }
}
