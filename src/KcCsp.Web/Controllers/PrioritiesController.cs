using KcCsp.Web.Features;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class PrioritiesController(DashboardService dashboard) : Controller
{
    [HttpGet("/priorities/{code}")]
    public async Task<IActionResult> Show(string code, CancellationToken ct)
    {
        var model = await dashboard.PriorityAsync(code, ct);
        return model is null ? NotFound() : View(model);
    }
}
