using KcCsp.Data.People;
using KcCsp.Data.Model;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed record ApiTokensModel(IReadOnlyList<ApiTokenView> Tokens, NewApiToken? Created = null, string? Error = null);

/// <summary>Each signed-in user's own tokens for the JSON API (Power BI, scripts).</summary>
public sealed class ApiTokensController(ApiTokens tokens, UserManager<PortalUser> users) : Controller
{
    [HttpGet("/api-tokens")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(new ApiTokensModel(await tokens.ForUserAsync(users.GetUserId(User)!, ct)));

    [HttpPost("/api-tokens")]
    public async Task<IActionResult> Create(string? name, CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Forbid();
        try
        {
            // The secret is shown on this response only: it is never stored and cannot be shown again.
            var created = await tokens.CreateAsync(user, name ?? "", ct);
            return View("Index", new ApiTokensModel(await tokens.ForUserAsync(user.Id, ct), created));
        }
        catch (ArgumentException e)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", new ApiTokensModel(await tokens.ForUserAsync(user.Id, ct), Error: e.Message));
        }
    }

    [HttpPost("/api-tokens/{id:int}/revoke")]
    public async Task<IActionResult> Revoke(int id, CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Forbid();
        return await tokens.RevokeAsync(user, id, ct) ? Redirect("/api-tokens") : NotFound();
    }
}
