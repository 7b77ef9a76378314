using KcCsp.Data.Partnerships;
using KcCsp.Web.Features.Partnerships;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

/// <summary>The partnership picker: the plans a user belongs to, and the choice of which one the pages show.</summary>
public sealed class PlansController(PlanScope scope) : Controller
{
    [HttpGet("/plans")]
    public IActionResult Index() => View(scope);

    /// <summary>Remembers the choice in a cookie (only plans the user belongs to), then shows that plan's priorities.</summary>
    [HttpPost("/plans/choose")]
    [ValidateAntiForgeryToken]
    public IActionResult Choose([FromForm] string code)
    {
        var plan = scope.Choosable.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));
        if (plan is null) return string.IsNullOrWhiteSpace(code) ? BadRequest("Choose a plan.") : Forbid();
        PlanChoice.Remember(HttpContext, plan.Code);
        return Redirect("/");
    }
}
