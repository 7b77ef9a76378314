using Microsoft.AspNetCore.OutputCaching;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features.Downloads;
using KcCsp.Web.Features;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Each table of the pages as CSV (UTF-8 with a byte-order mark).</summary>
[BadPeriodIsBadRequest]
[OutputCache(PolicyName = ReportPageCache.PolicyName)]
public sealed class DownloadsController(TableDownloads tables, ReportingPeriods periods) : Controller
{
    // Each download takes the page's ?year=&toMonth=(&baselineTo=) so the file says what the page said.
    private Task<ReportingPeriod> PeriodAsync(CancellationToken ct) =>
        periods.ResolveAsync(Request.Query["year"], int.TryParse(Request.Query["toMonth"], out var m) ? m : Request.Query.ContainsKey("toMonth") ? 0 : null,
            Request.Query["baselineTo"], ct);

    [HttpGet("/measures.csv")]
    public async Task<IActionResult> Headlines(CancellationToken ct) => Csv(await tables.HeadlinesAsync(await PeriodAsync(ct), ct));

    [HttpGet("/partnership.csv")]
    public async Task<IActionResult> Partnership(CancellationToken ct) => Csv(await tables.PartnershipAsync(await PeriodAsync(ct), ct));

    [HttpGet("/priorities/{code}/measures.csv")]
    public async Task<IActionResult> Measures(string code, CancellationToken ct) => Csv(await tables.PriorityMeasuresAsync(code, await PeriodAsync(ct), ct));

    [HttpGet("/priorities/{code}/targets.csv")]
    public async Task<IActionResult> Targets(string code, CancellationToken ct) => Csv(await tables.PriorityTargetsAsync(code, await PeriodAsync(ct), ct));

    [HttpGet("/priorities/{code}/actions.csv")]
    public async Task<IActionResult> Actions(string code, CancellationToken ct) => Csv(await tables.PriorityActionsAsync(code, await PeriodAsync(ct), ct));

    [HttpGet("/priorities/{code}/charts/{measure}.csv")]
    public async Task<IActionResult> Chart(string code, string measure, CancellationToken ct) => Csv(await tables.PriorityChartAsync(code, measure, await PeriodAsync(ct), ct));

    private IActionResult Csv(CsvTable? table) =>
        table is null ? NotFound() : File(table.ToBytes(), "text/csv; charset=utf-8", table.FileName);
}
