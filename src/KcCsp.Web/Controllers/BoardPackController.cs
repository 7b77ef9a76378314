using KcCsp.Web.Features;
using KcCsp.Web.Features.BoardPack;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class BoardPackController(ReportingPeriods periods, BoardPackService boardPacks) : Controller
{
    /// <summary>The board pack as an Excel workbook; by default for the latest data.</summary>
    [HttpGet("/board-pack")]
    public async Task<IActionResult> Download(string? year, int? toMonth, CancellationToken ct)
    {
        ReportingPeriod period;
        try
        {
            period = await periods.ResolveAsync(year, toMonth, ct);
        }
        catch (BadPeriodException e)
        {
            return Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The period is not valid.");
        }
        var pack = await boardPacks.BuildAsync(period, ct);
        return File(BoardPackWorkbook.Write(pack), BoardPackWorkbook.ContentType, BoardPackWorkbook.FileName(period));
    }
}
