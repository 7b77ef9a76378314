using KcCsp.Data.Analysis;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Analysis;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers.Api;

/// <summary>The drafted "what our data tells us": the same record as the CLI's `narrative --json`.</summary>
[ApiController]
[Route("api")]
[ApiProblems]
public sealed class AnalysisController(AnalysisService drafts, AnalysisPublishing publishing, TimeProvider clock) : ControllerBase
{
    /// <summary>
    /// A priority's drafted analysis for an area, over a financial year to a month (`year`, `toMonth`) or any months
    /// (`from`, `to`, YYYY-MM): `text` and the `facts` behind its numbers, the plan's printed text and the latest published
    /// version. Drafts are for analysts (the board reads what is published). Every refusal — an unknown priority or area,
    /// a bad or unstarted window, a window without figures — is a 400 ProblemDetails saying what to do.
    /// </summary>
    [HttpGet("priorities/{code}/narrative")]
    [Authorize(Policy = Policies.Analysts)]
    [ProducesResponseType<AnalysisJson>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Narrative(string code, string? area, string? year, int? toMonth, string? from, string? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(area)) throw Data.Reporting.BadParameterException.Missing("area", "area: give a borough, e.g. area=Kensington and Chelsea.");
        var window = AnalysisWindows.Parse(year, toMonth, from, to, clock, ("year", "toMonth", "from", "to"));
        var draft = await drafts.DraftAsync(code, area, window, ct);
        var published = await publishing.LatestAsync(draft.Area, ct, draft.Priority);
        return new JsonResult(AnalysisJson.Of(draft, published.GetValueOrDefault(draft.Priority)), PortalJson.Options);
    }
}
