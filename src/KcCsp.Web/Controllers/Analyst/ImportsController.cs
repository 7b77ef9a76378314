using KcCsp.Data.Importing;
using KcCsp.Web.Features.Importing;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers.Analyst;

/// <summary>
/// Analyst pages: crime-extract uploads, their history and rollback, populations.
/// </summary>
[Route("imports")]
[Authorize(Policy = Policies.Analysts)]
public sealed class ImportsController(ImportPages pages) : Controller
{
    private string Who => User.Identity!.Name!;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? notice, CancellationToken ct) => View(await pages.IndexAsync(notice: notice, ct: ct));

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    [RequestSizeLimit(ImportPages.MaxUploadBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = ImportPages.MaxUploadBytes)]
    public async Task<IActionResult> Upload(IFormFile? file, CancellationToken ct)
    {
        var outcome = await pages.UploadAsync(file, Who, ct);
        if (outcome.Kind == ImportOutcomeKind.Invalid)
        {
            // The file is the request's content: a file that is not a valid extract is a bad request.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await pages.IndexAsync(outcome, ct: ct));
        }
        return RedirectToAction(nameof(Details), new { id = outcome.ImportId, notice = outcome.Message });
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Details(int id, string? notice, CancellationToken ct)
    {
        var model = await pages.DetailsAsync(id, notice, ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("{id:int}/rollback")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> RollBack(int id, CancellationToken ct)
    {
        var outcome = await pages.RollBackAsync(id, Who, ct);
        if (!outcome.Done && outcome.Message.StartsWith("There is no", StringComparison.Ordinal)) return NotFound();
        return RedirectToAction(nameof(Details), new { id, notice = outcome.Message });
    }

    [HttpPost("population")]
    [ValidateAntiForgeryToken]
    [RequestSizeLimit(50L * 1024 * 1024)]
    public async Task<IActionResult> Population(IFormFile? file, CancellationToken ct)
    {
        var outcome = await pages.UploadPopulationAsync(file, ct);
        if (!outcome.Done) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        var text = outcome.Problems is { Count: > 0 } p ? outcome.Message + " " + string.Join(" ", p.Take(10).Select(x => x.ToString() + ";")) : outcome.Message;
        return View("Index", await pages.IndexAsync(notice: text, ct: ct));
    }
}

/// <summary>
/// Analyst page: the category mapping editor.
/// </summary>
[Route("categories")]
[Authorize(Policy = Policies.Analysts)]
public sealed class CategoriesController(ImportPages pages) : Controller
{
    private string Who => User.Identity!.Name!;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? notice, CancellationToken ct) => View(await pages.CategoriesAsync(notice, ct));

    [HttpPost("aliases/{id:int}")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Map(int id, int? categoryId, string? category, CancellationToken ct)
    {
        // A row's field sends the category as typed or picked from the page's one list; a suggestion sends its id.
        if (Request.HasFormContentType && Request.Form.ContainsKey("category"))
        {
            var (found, chosen) = string.IsNullOrWhiteSpace(category) ? (false, null) : await pages.FindCategoryAsync(category, ct);
            if (!found)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return View("Index", await pages.CategoriesAsync(string.IsNullOrWhiteSpace(category)
                    ? $"category: choose a category from the list (or {ImportPages.NotMapped}); nothing was changed."
                    : $"category: '{category.Trim()}' is not a category's code or name; nothing was changed. The categories are listed at the foot of the page.", ct));
            }
            categoryId = chosen;
        }
        try
        {
            return RedirectToAction(nameof(Index), new { notice = await pages.MapAsync(id, categoryId, Who, ct) });
        }
        catch (KeyNotFoundException e)
        {
            return NotFound(e.Message);
        }
    }

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Add(string? code, string? name, string? majorGroup, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(majorGroup))
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await pages.CategoriesAsync("A new category needs a code, a name and a major group.", ct));
        }
        try
        {
            return RedirectToAction(nameof(Index), new { notice = await pages.AddCategoryAsync(code, name, majorGroup, Who, ct) });
        }
        catch (ArgumentException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await pages.CategoriesAsync(e.Message.Split(" (Parameter")[0], ct));
        }
    }
}
