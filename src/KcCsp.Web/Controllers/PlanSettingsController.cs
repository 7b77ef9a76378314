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
        var result = await Validated(() => settings.SaveTargetAsync(null, input, User.Identity!.Name!, ct));
        if (result.Outcome == Outcome.Done) return Redirect("/targets");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        var model = await settings.TargetsAsync(ct);
        return View("Targets", model with { NewTarget = await settings.TargetFormAsync(null, input, ct) });
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
        var result = await Validated(() => settings.SaveTargetAsync(id, input, User.Identity!.Name!, ct));
        if (result.Outcome == Outcome.NotFound) return NotFound();
        if (result.Outcome == Outcome.Done) return Redirect("/targets");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("EditTarget", await settings.TargetFormAsync(id, input, ct));
    }

    [HttpGet("/measures")]
    public async Task<IActionResult> Measures(CancellationToken ct) => View(await settings.MeasuresAsync(ct));

    [HttpPost("/measures")]
    public async Task<IActionResult> CreateMeasure(MeasureInput form, CancellationToken ct)
    {
        var result = await Validated(() => settings.SaveMeasureAsync(null, form, User.Identity!.Name!, ct));
        if (result.Outcome == Outcome.Done) return Redirect("/measures");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        var model = await settings.MeasuresAsync(ct);
        return View("Measures", model with { NewMeasure = form });
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
        var result = await Validated(() => settings.SaveMeasureAsync(id, form, User.Identity!.Name!, ct));
        if (result.Outcome == Outcome.NotFound) return NotFound();
        if (result.Outcome == Outcome.Done) return Redirect("/measures");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ViewData["Id"] = id;
        return View("EditMeasure", form);
    }

    private async Task<Result> Validated(Func<Task<Result>> save)
    {
        var result = ModelState.IsValid
            ? await save()
            : Result.Invalid(ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).ToArray());
        if (result.Outcome == Outcome.Invalid && ModelState.IsValid)
            foreach (var e in result.Errors ?? []) ModelState.AddModelError("", e);
        return result;
    }
}
