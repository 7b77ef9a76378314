using System.Security.Claims;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Partnerships;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Features.Partnerships;

/// <summary>
/// Chooses each request's partnership plan, after sign-in and before the endpoint: the query's <c>plan=CODE</c> (a link,
/// an API call), else the picker's cookie, else the user's first plan. Every use case the request runs then sees that
/// plan's records only (<see cref="PlanScope"/>). A plan the user does not belong to is 403, an unknown code 404 — asked
/// for in the query; a stale cookie (a membership since removed) falls back to the user's first plan.
/// </summary>
public static class PlanChoice
{
    public const string Cookie = "kccsp-plan";
    public const string QueryKey = "plan";

    public static void UsePlanChoice(this WebApplication app) => app.Use(ChooseAsync);

    /// <summary>The picker's cookie: the plan a user's pages show until they choose another.</summary>
    public static void Remember(HttpContext http, string code) =>
        http.Response.Cookies.Append(Cookie, code, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365),
        });

    private static async Task ChooseAsync(HttpContext http, RequestDelegate next)
    {
        // Health probes read no plan (liveness must not depend on the database at all).
        if (http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }
        var scope = http.RequestServices.GetRequiredService<PlanScope>();
        var userId = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        var everyPlan = http.User.IsInRole(Roles.Admin);
        var asked = http.Request.Query[QueryKey].FirstOrDefault();
        var result = await scope.ChooseAsync(asked ?? http.Request.Cookies[Cookie], userId, everyPlan, http.RequestAborted);
        if (result.Outcome != Outcome.Done && asked is null && http.Request.Cookies.ContainsKey(Cookie))
            result = await scope.ChooseAsync(null, userId, everyPlan, http.RequestAborted);
        if (result.Outcome == Outcome.Done)
        {
            // A page opened with ?plan= switches to that plan, as the picker does: its links (which carry no plan) then
            // stay in it. Machines' API calls choose per request and get no cookie.
            if (asked is not null && scope.Current is { } chosen && !People.PeopleSetup.IsMachineEndpoint(http.Request.Path)
                && http.User.Identity?.IsAuthenticated == true && http.Request.Cookies[Cookie] != chosen.Code)
                Remember(http, chosen.Code);
            await next(http);
            return;
        }
        http.Response.StatusCode = result.Outcome == Outcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        var detail = string.Join(" ", result.Errors ?? []);
        if (People.PeopleSetup.IsMachineEndpoint(http.Request.Path))
        {
            await http.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = http.Response.StatusCode,
                Title = result.Outcome == Outcome.NotFound ? "There is no such plan." : "You do not belong to this partnership.",
                Detail = detail,
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
            return;
        }
        // Pages: the status code page says it (UseStatusCodePagesWithReExecute), without the plan asked for.
        http.Items[nameof(PlanChoice)] = detail;
    }
}
