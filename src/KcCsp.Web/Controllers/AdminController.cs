using KcCsp.Data.People;
using KcCsp.Data;
using KcCsp.Data.Planning;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>Users and roles, and the audit trail (read only: there is no way to edit or delete its rows).</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class AdminController(UserAdminService users, AuditQuery audit) : Controller
{
    [HttpGet("/admin/users")]
    public async Task<IActionResult> Users(CancellationToken ct) => View(await users.ListAsync(ct));

    [HttpPost("/admin/users")]
    public async Task<IActionResult> CreateUser([Bind(Prefix = "NewUser")] NewUserInput input, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var (password, errors) = await users.CreateAsync(input, User.Identity!.Name!);
            if (password is not null)
            {
                // Shown once, to the administrator who hands it over; never stored in clear.
                TempData["Message"] = $"Created {input.Email.Trim()}. Their password is {password} — give it to them securely; it is not shown again.";
                return Redirect("/admin/users");
            }
            foreach (var e in errors) ModelState.AddModelError("", e);
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Users", (await users.ListAsync(ct)) with { NewUser = input });
    }

    [HttpPost("/admin/users/{id}")]
    public async Task<IActionResult> ChangeUser(string id, UserChangeInput input, CancellationToken ct) =>
        await Done(ModelState.IsValid ? await users.ChangeAsync(id, input, User.Identity!.Name!) : Result.Invalid("Choose a role."), "User updated.", ct);

    [HttpPost("/admin/users/{id}/lock")]
    public async Task<IActionResult> Lock(string id, CancellationToken ct) => await Done(await users.SetLockedAsync(id, true, User.Identity!.Name!), "User locked.", ct);

    [HttpPost("/admin/users/{id}/unlock")]
    public async Task<IActionResult> Unlock(string id, CancellationToken ct) => await Done(await users.SetLockedAsync(id, false, User.Identity!.Name!), "User unlocked.", ct);

    [HttpGet("/admin/audit")]
    public async Task<IActionResult> Audit(string? user, string? entity, DateOnly? from, DateOnly? to, string? key, CancellationToken ct) =>
        View(await audit.FindAsync(new AuditFilter(user, entity, from, to, key), ct));

    private Task<IActionResult> Done(Result result, string message, CancellationToken ct) =>
        this.AnswerAsync(result, _ => "/admin/users", async () => View("Users", await users.ListAsync(ct)), message);
}
