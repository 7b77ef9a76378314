using KcCsp.Data.Reporting;
using KcCsp.Data.SmallAreas;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Api;
using KcCsp.Web.Features.SmallAreas;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers.Api;

/// <summary>The API's small areas: the same records as the CLI's `hotspots --json`.</summary>
[ApiController]
[Route("api")]
[ApiProblems]
public sealed class SmallAreasController(Hotspots hotspots, ReportingPeriods periods) : ControllerBase
{
    /// <summary>
    /// A crime measure's wards (level=ward, the default) or LSOAs (level=lsoa) in an area (a borough name or ONS code), ranked
    /// by count in the financial year `year` to `toMonth`, with the same months a year earlier, % change, whether the change
    /// is statistically significant (Poisson means test, 95%) and each one's share of the area's total. A ward whose code the
    /// earlier months' files do not list has no like-for-like figure.
    /// </summary>
    [HttpGet("measures/{code}/hotspots")]
    [ProducesResponseType<HotspotsJson>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Hotspots(string code, string? area, string? year, int? toMonth, string? level, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(area)) throw BadParameterException.Missing("area", "area: give a borough, e.g. area=Kensington and Chelsea.");
        var kind = HotspotsJson.ParseLevel("level", level);
        var period = await periods.ResolveAsync(year, toMonth, ct);
        try
        {
            return new JsonResult(HotspotsJson.Of(await hotspots.ForAsync(code, area, period, kind, ct)), PortalJson.Options);
        }
        catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
        {
            throw new NotFoundInApiException(e.Message);
        }
    }
}
