using KcCsp.Data;
using KcCsp.Data.Planning;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

[Authorize(Policy = Policies.Analysts)]
public sealed class FiguresController(ManualFigureService figures) : Controller
{
    [HttpGet("/figures")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await figures.ListAsync(ct));

    [HttpPost("/figures")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] FigureForm form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => figures.SaveAsync(null, form, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/figures",
            async () => View("Index", (await figures.ListAsync(ct)) with { NewFigure = await figures.FormModelAsync(null, form, ct) }), "Figure saved.");
    }

    [HttpGet("/figures/{id:int}/edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var model = await figures.EditFormAsync(id, ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("/figures/{id:int}/edit")]
    public async Task<IActionResult> Update(int id, [Bind(Prefix = "Form")] FigureForm form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => figures.SaveAsync(id, form, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/figures", async () => View("Edit", await figures.FormModelAsync(id, form, ct)), "Figure saved.");
    }

    [HttpPost("/figures/{id:int}/delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var result = await figures.DeleteAsync(id, User.Identity!.Name!, ct);
        return await this.AnswerAsync(result, _ => "/figures", () => Task.FromResult<IActionResult>(Redirect("/figures")), "Figure deleted.");
    }

    [HttpGet("/figures/upload")]
    public IActionResult Upload() => View(new UploadResult([], 0, 0));

    [HttpPost("/figures/upload")]
    [RequestSizeLimit(ManualFigureService.MaxUploadBytes + 64 * 1024)]
    public async Task<IActionResult> Upload(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new UploadResult([new FileProblem(1, null, null, "Choose a CSV file to upload.")], 0, 0));
        }
        if (file.Length > ManualFigureService.MaxUploadBytes)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new UploadResult([new FileProblem(1, null, null, $"The file is larger than {ManualFigureService.MaxUploadBytes / 1024 / 1024} MB.")], 0, 0));
        }
        await using var stream = file.OpenReadStream();
        var result = await figures.UploadAsync(stream, Path.GetFileName(file.FileName), User.Identity!.Name!, ct);
        if (result.Problems.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(result);
    }
}
