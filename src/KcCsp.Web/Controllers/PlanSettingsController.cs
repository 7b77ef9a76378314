using KcCsp.Data;
using KcCsp.Data.Planning;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Targets and measures, kept by analysts.</summary>
[Authorize(Policy = Policies.Analysts)]
public sealed class PlanSettingsController(PlanSettingsService settings) : Controller
{
    [HttpGet("/targets")]
    public async Task<IActionResult> Targets(CancellationToken ct) => View(await settings.TargetsAsync(ct));

    [HttpPost("/targets")]
    public async Task<IActionResult> CreateTarget([Bind(Prefix = "Target")] TargetInput input, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => settings.SaveTargetAsync(null, input, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/targets",
            async () => View("Targets", (await settings.TargetsAsync(ct)) with { NewTarget = await settings.TargetFormAsync(null, input, ct) }));
    }

    [HttpGet("/targets/{id:int}/edit")]
    public async Task<IActionResult> EditTarget(int id, CancellationToken ct)
    {
        var model = await settings.EditTargetFormAsync(id, ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("/targets/{id:int}/edit")]
    public async Task<IActionResult> UpdateTarget(int id, [Bind(Prefix = "Target")] TargetInput input, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => settings.SaveTargetAsync(id, input, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/targets", async () => View("EditTarget", await settings.TargetFormAsync(id, input, ct)));
    }

    [HttpGet("/measures")]
    public async Task<IActionResult> Measures(CancellationToken ct) => View(await settings.MeasuresAsync(ct));

    [HttpPost("/measures")]
    public async Task<IActionResult> CreateMeasure(MeasureInput form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => settings.SaveMeasureAsync(null, form, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/measures", async () => View("Measures", (await settings.MeasuresAsync(ct)) with { NewMeasure = form }));
    }

    [HttpGet("/measures/{id:int}/edit")]
    public async Task<IActionResult> EditMeasure(int id, CancellationToken ct)
    {
        var model = await settings.EditMeasureFormAsync(id, ct);
        if (model is null) return NotFound();
        ViewData["Id"] = id;
        return View(model);
    }

    [HttpPost("/measures/{id:int}/edit")]
    public async Task<IActionResult> UpdateMeasure(int id, MeasureInput form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => settings.SaveMeasureAsync(id, form, User.Identity!.Name!, ct));
        ViewData["Id"] = id;
        return await this.AnswerAsync(result, _ => "/measures", () => Task.FromResult<IActionResult>(View("EditMeasure", form)));
    }
}
