using KcCsp.Data.Reporting;
using KcCsp.Web.Features;
using KcCsp.Web.Features.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KcCsp.Web.Controllers.Api;

/// <summary>
/// The read-only JSON API. Responses use <see cref="PortalJson.Options"/>, the CLI's options; unknown codes and areas
/// are 404 and bad periods 400, both as ProblemDetails.
/// </summary>
[ApiController]
[Route("api")]
[ApiProblems]
public sealed class OpenDataController(OpenDataService data) : ControllerBase
{
    [HttpGet("priorities")]
    [ProducesResponseType<IReadOnlyList<ApiPriority>>(StatusCodes.Status200OK, "application/json")]
    public async Task<IActionResult> Priorities(CancellationToken ct) => Json(await data.PrioritiesAsync(ct));

    /// <summary>A priority's measures for a period (default: the latest data), its targets and actions.</summary>
    [HttpGet("priorities/{code}")]
    [ProducesResponseType<ApiPriorityDetail>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Priority(string code, string? year, int? toMonth, CancellationToken ct) =>
        Json(await data.PriorityAsync(code, year, toMonth, ct));

    [HttpGet("priorities/{code}/actions")]
    [ProducesResponseType<IReadOnlyList<ApiAction>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> PriorityActions(string code, CancellationToken ct) => Json(await data.ActionsAsync(code, ct));

    [HttpGet("measures")]
    [ProducesResponseType<IReadOnlyList<ApiMeasure>>(StatusCodes.Status200OK, "application/json")]
    public async Task<IActionResult> Measures(CancellationToken ct) => Json(await data.MeasuresAsync(ct));

    [HttpGet("measures/{code}")]
    [ProducesResponseType<ApiMeasure>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Measure(string code, CancellationToken ct) => Json(await data.MeasureAsync(code, ct));

    /// <summary>A measure's year to date against the same months a year earlier: the CLI's `measure --json` record.</summary>
    [HttpGet("measures/{code}/comparison")]
    [ProducesResponseType<MeasureComparison>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Comparison(string code, string? area, string? year, int? toMonth, CancellationToken ct) =>
        Json(await data.ComparisonAsync(code, area, year, toMonth, ct));

    /// <summary>A measure's monthly values for an area, months as YYYY-MM.</summary>
    [HttpGet("measures/{code}/series")]
    [ProducesResponseType<ApiSeries>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Series(string code, string? area, string? from, string? to, CancellationToken ct) =>
        Json(await data.SeriesAsync(code, area, from, to, ct));

    [HttpGet("actions")]
    [ProducesResponseType<IReadOnlyList<ApiAction>>(StatusCodes.Status200OK, "application/json")]
    public async Task<IActionResult> Actions(CancellationToken ct) => Json(await data.ActionsAsync(null, ct));

    /// <summary>Anything else under /api is a 404 ProblemDetails, not the HTML error page.</summary>
    [HttpGet("{**rest}", Order = int.MaxValue)]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Unknown(string rest) =>
        Problem($"There is no API endpoint at /api/{rest}. The endpoints are listed in /openapi/v1.json.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static JsonResult Json(object value) => new(value, PortalJson.Options);
}

/// <summary>
/// Turns the API's "not found" and "bad parameter" exceptions into ProblemDetails responses, titled by the exception
/// itself: a bad period is "The period is not valid.", a missing area "The parameter 'area' is required.".
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ApiProblemsAttribute : Attribute, IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        var (status, title) = context.Exception switch
        {
            NotFoundInApiException => (StatusCodes.Status404NotFound, "Not found"),
            BadParameterException bad => (StatusCodes.Status400BadRequest, bad.Title),
            _ => (0, ""),
        };
        if (status == 0) return;
        var factory = context.HttpContext.RequestServices.GetRequiredService<Microsoft.AspNetCore.Mvc.Infrastructure.ProblemDetailsFactory>();
        var problem = factory.CreateProblemDetails(context.HttpContext, status, title, detail: context.Exception.Message);
        context.Result = new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
        context.ExceptionHandled = true;
    }
}
