using KcCsp.Data;
using KcCsp.Data.Analysis;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Analysis;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Analysts draft, edit and publish a priority's "what our data tells us" for the plan's area.</summary>
[Authorize(Policy = Policies.Analysts)]
public sealed class AnalysisController(AnalysisPages pages, AnalysisService drafts, AnalysisPublishing publishing, ReportingPeriods periods, TimeProvider clock) : Controller
{
    private static readonly (string, string, string, string) Names = ("year", "toMonth", "from", "to");

    /// <param name="from">The window's first month (YYYY-MM); with <paramref name="to"/>. By default the latest period the reports show.</param>
    [HttpGet("/priorities/{code}/analysis")]
    public async Task<IActionResult> Edit(string code, string? from, string? to, CancellationToken ct)
    {
        if (await drafts.FindPriorityAsync(code, ct) is not { } priority) return NotFound();
        Period window;
        try { window = await WindowAsync(from, to, ct); }
        catch (BadParameterException e) { return HomeController.BadPeriod(this, e); }
        return View(await pages.EditAsync(priority.Code, priority.Title, await drafts.HomeAreaAsync(ct), window, null, ct));
    }

    [HttpPost("/priorities/{code}/analysis")]
    public async Task<IActionResult> Publish(string code, string? from, string? to, string? text, CancellationToken ct)
    {
        if (await drafts.FindPriorityAsync(code, ct) is not { } priority) return NotFound();
        Period window;
        try { window = AnalysisWindows.Parse(null, null, from, to, clock, Names); }
        catch (BadParameterException e) { return HomeController.BadPeriod(this, e); }
        var area = await drafts.HomeAreaAsync(ct);
        Result result;
        try
        {
            result = await publishing.PublishAsync(priority.Code, area, window, text, User.Identity!.Name!, ct);
        }
        catch (BadParameterException e)
        {
            result = Result.Invalid(e.Message);
        }
        return await this.AnswerAsync(result, _ => $"/priorities/{priority.Code}/analysis?from={window.From}&to={window.To}",
            async () => View("Edit", await pages.EditAsync(priority.Code, priority.Title, area, window, text, ct)),
            $"Published the analysis of {priority.Title} for {window.Describe()}.");
    }

    private async Task<Period> WindowAsync(string? from, string? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to)) return (await periods.DefaultAsync(ct)).Periods.Current;
        return AnalysisWindows.Parse(null, null, from, to, clock, Names);
    }
}
