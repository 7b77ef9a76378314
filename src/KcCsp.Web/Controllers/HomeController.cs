using KcCsp.Web.Features;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class HomeController(DashboardService dashboard) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await dashboard.HomeAsync(ct));
}
