using KcCsp.Web.Features.Downloads;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Each table of the pages as CSV (UTF-8 with a byte-order mark).</summary>
public sealed class DownloadsController(TableDownloads tables) : Controller
{
    [HttpGet("/measures.csv")]
    public async Task<IActionResult> Headlines(CancellationToken ct) => Csv(await tables.HeadlinesAsync(ct));

    [HttpGet("/partnership.csv")]
    public async Task<IActionResult> Partnership(CancellationToken ct) => Csv(await tables.PartnershipAsync(ct));

    [HttpGet("/priorities/{code}/measures.csv")]
    public async Task<IActionResult> Measures(string code, CancellationToken ct) => Csv(await tables.PriorityMeasuresAsync(code, ct));

    [HttpGet("/priorities/{code}/targets.csv")]
    public async Task<IActionResult> Targets(string code, CancellationToken ct) => Csv(await tables.PriorityTargetsAsync(code, ct));

    [HttpGet("/priorities/{code}/actions.csv")]
    public async Task<IActionResult> Actions(string code, CancellationToken ct) => Csv(await tables.PriorityActionsAsync(code, ct));

    [HttpGet("/priorities/{code}/charts/{measure}.csv")]
    public async Task<IActionResult> Chart(string code, string measure, CancellationToken ct) => Csv(await tables.PriorityChartAsync(code, measure, ct));

    private IActionResult Csv(CsvTable? table) =>
        table is null ? NotFound() : File(table.ToBytes(), "text/csv; charset=utf-8", table.FileName);
}
