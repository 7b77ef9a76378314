using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Data.SmallAreas;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Features.SmallAreas;

/// <summary>A hotspot table (and its map, where the borough's ward boundaries are served) as the priority page shows it.</summary>
public sealed record HotspotsPanel(HotspotsJson Table, string? BoundariesUrl, string CsvUrl, string Id);

/// <summary>
/// "Where": the priority's headline crime measures by ward, for the page's area and period — the ten largest shown, the
/// rest a click away, a choropleth of the wards beside them. Nothing is shown for a measure no ward-level file covers.
/// </summary>
public sealed class HotspotsViewComponent(Hotspots hotspots, IWebHostEnvironment environment) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string area, string financialYear, int toMonth, IReadOnlyList<string> measures)
    {
        var period = new ReportingPeriod(Domain.FinancialYear.Parse(financialYear), toMonth);
        var panels = new List<HotspotsPanel>();
        foreach (var table in await hotspots.ForEachAsync(measures, area, period, SmallAreaKind.Ward, HttpContext.RequestAborted))
        {
            var boundaries = table.AreaCode is { } ons && environment.WebRootFileProvider.GetFileInfo($"geo/{ons}-wards.json").Exists ? $"/geo/{ons}-wards.json" : null;
            var query = $"?area={Uri.EscapeDataString(table.Area)}&year={Uri.EscapeDataString(financialYear)}&toMonth={toMonth}";
            panels.Add(new HotspotsPanel(HotspotsJson.Of(table), boundaries, $"/measures/{table.MeasureCode}/hotspots.csv{query}", $"hotspots-{table.MeasureCode}"));
        }
        return View(panels);
    }
}
