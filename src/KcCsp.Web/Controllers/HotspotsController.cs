using KcCsp.Data.Reporting;
using KcCsp.Data.SmallAreas;
using KcCsp.Web.Features;
using KcCsp.Web.Features.SmallAreas;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>A measure's hotspot table as CSV, for the page's period (?year=&amp;toMonth=) and level (?level=ward|lsoa).</summary>
[BadPeriodIsBadRequest]
public sealed class HotspotsController(Hotspots hotspots, ReportingPeriods periods) : Controller
{
    [HttpGet("/measures/{code}/hotspots.csv")]
    public async Task<IActionResult> Csv(string code, string? area, string? year, int? toMonth, string? level, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(area)) throw BadParameterException.Missing("area", "area: give a borough, e.g. area=Kensington and Chelsea.");
        var kind = HotspotsJson.ParseLevel("level", level);
        var period = await periods.ResolveAsync(year, toMonth, ct);
        try
        {
            var table = HotspotsJson.Of(await hotspots.ForAsync(code, area, period, kind, ct)).ToCsvTable();
            return File(table.ToBytes(), "text/csv; charset=utf-8", table.FileName);
        }
        catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
        {
            return NotFound(e.Message);
        }
    }
}
