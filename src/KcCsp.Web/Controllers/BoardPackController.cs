using Microsoft.AspNetCore.OutputCaching;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using KcCsp.Web.Features.BoardPack;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class BoardPackController(ReportingPeriods periods, BoardPackService boardPacks, ILogger<BoardPackController> log) : Controller
{
    /// <summary>The board pack as an Excel workbook; by default for the latest data.</summary>
    [HttpGet("/board-pack")]
    [OutputCache(PolicyName = ReportPageCache.PolicyName)]
    public async Task<IActionResult> Download(string? year, int? toMonth, CancellationToken ct)
    {
        ReportingPeriod period;
        try
        {
            period = await periods.ResolveAsync(year, toMonth, ct);
        }
        catch (BadParameterException e)
        {
            return Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: e.Title);
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pack = await boardPacks.BuildAsync(period, ct);
        var built = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var workbook = BoardPackWorkbook.Write(pack);
        log.LogInformation("Board pack for {Year} to month {ToMonth}: figures in {BuildMs:0} ms, workbook in {WriteMs:0} ms",
            period.Year.ToString(), period.ToMonth, built.TotalMilliseconds, (System.Diagnostics.Stopwatch.GetElapsedTime(started) - built).TotalMilliseconds);
        return File(workbook, BoardPackWorkbook.ContentType, BoardPackWorkbook.FileName(period));
    }
}
