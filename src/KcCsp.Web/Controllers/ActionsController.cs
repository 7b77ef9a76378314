using KcCsp.Data;
using KcCsp.Data.Planning;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class ActionsController(ActionPlanService actions) : Controller
{
    [HttpGet("/actions/{id:int}")]
    public async Task<IActionResult> Show(int id, CancellationToken ct)
    {
        var model = await actions.PageAsync(id, User, ct);
        return model is null ? NotFound() : View(model);
    }

    [Authorize(Policy = Policies.ProgressUpdaters)]
    [HttpPost("/actions/{id:int}/updates")]
    public async Task<IActionResult> PostUpdate(int id, [Bind(Prefix = "NewUpdate")] UpdateForm form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => actions.PostUpdateAsync(id, form, User, ct));
        return await this.AnswerAsync(result, _ => $"/actions/{id}#updates", async () =>
            await actions.PageAsync(id, User, ct) is { } model ? View("Show", model with { NewUpdate = form }) : NotFound());
    }

    [HttpGet("/my-actions")]
    public async Task<IActionResult> Mine(CancellationToken ct) => View(await actions.MineAsync(User, ct));

    [Authorize(Policy = Policies.ActionPlanners)]
    [HttpGet("/actions/new")]
    public async Task<IActionResult> New(string? priority, CancellationToken ct) => View("Edit", await actions.FormAsync(null, priority, ct));

    [Authorize(Policy = Policies.ActionPlanners)]
    [HttpPost("/actions/new")]
    public Task<IActionResult> Create([Bind(Prefix = "Form")] ActionForm form, CancellationToken ct) => Save(null, form, ct);

    [Authorize(Policy = Policies.ActionPlanners)]
    [HttpGet("/actions/{id:int}/edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var model = await actions.FormAsync(id, null, ct);
        return model is null ? NotFound() : View("Edit", model);
    }

    [Authorize(Policy = Policies.ActionPlanners)]
    [HttpPost("/actions/{id:int}/edit")]
    public Task<IActionResult> Update(int id, [Bind(Prefix = "Form")] ActionForm form, CancellationToken ct) => Save(id, form, ct);

    private async Task<IActionResult> Save(int? id, ActionForm form, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => actions.SaveAsync(id, form, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, r => $"/actions/{r.Id}", async () => View("Edit", await actions.FormModelAsync(id, form, ct)));
    }
}
