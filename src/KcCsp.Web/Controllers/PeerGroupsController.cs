using KcCsp.Data;
using KcCsp.Data.PeerGroups;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Peer groups of boroughs, kept by analysts.</summary>
[Authorize(Policy = Policies.Analysts)]
public sealed class PeerGroupsController(PeerGroupService groups) : Controller
{
    [HttpGet("/peer-groups")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await groups.ListAsync(ct));

    [HttpPost("/peer-groups")]
    public async Task<IActionResult> Create([Bind(Prefix = "Group")] PeerGroupInput input, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => groups.SaveAsync(null, input, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/peer-groups",
            async () => View("Index", (await groups.ListAsync(ct)) with { NewGroup = await groups.FormAsync(null, input, ct) }));
    }

    [HttpGet("/peer-groups/{id:int}/edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var model = await groups.EditFormAsync(id, ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("/peer-groups/{id:int}/edit")]
    public async Task<IActionResult> Update(int id, [Bind(Prefix = "Group")] PeerGroupInput input, CancellationToken ct)
    {
        var result = await this.ValidatedAsync(() => groups.SaveAsync(id, input, User.Identity!.Name!, ct));
        return await this.AnswerAsync(result, _ => "/peer-groups", async () => View("Edit", await groups.FormAsync(id, input, ct)));
    }

    [HttpPost("/peer-groups/{id:int}/delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var result = await groups.DeleteAsync(id, User.Identity!.Name!, ct);
        return result.Outcome == Outcome.NotFound ? NotFound() : Redirect("/peer-groups");
    }
}
