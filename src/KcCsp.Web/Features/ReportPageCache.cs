using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features;

/// <summary>Settings of <see cref="ReportPageCache"/> (section "Reports").</summary>
public sealed class ReportCacheOptions
{
    /// <summary>Keep rendered report pages, CSV files and board packs until the data changes. On by default.</summary>
    public bool OutputCache { get; set; } = true;
    /// <summary>How long a kept response may stay unused before it is dropped.</summary>
    public int OutputCacheMinutes { get; set; } = 10;
}

/// <summary>
/// Output caching for the report pages, their CSV files and the board pack: computed once, served many times. A kept
/// response belongs to one signed-in user's session (the page names the user, shows the links of their roles and holds
/// an anti-forgery token for their sign-out form), so the key includes the user, their roles and the session's
/// anti-forgery cookie; it also includes the data stamp (any change to the figures makes a new key on every instance
/// sharing the database) and today's date (overdue flags). Responses that set a cookie or are not 200 are not kept.
/// </summary>
public sealed class ReportPageCache : IOutputCachePolicy
{
    public const string PolicyName = "Reports";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<ReportCacheOptions>>().Value;
        var user = http.User;
        if (!options.OutputCache || !HttpMethods.IsGet(http.Request.Method) || user.Identity?.IsAuthenticated != true)
        {
            context.EnableOutputCaching = false;
            return;
        }
        var version = http.RequestServices.GetRequiredService<ReportVersion>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var antiforgery = http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name ?? "";

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(options.OutputCacheMinutes);
        var vary = context.CacheVaryByRules;
        vary.QueryKeys = "*";
        vary.VaryByValues["data"] = (await version.CurrentAsync(ct)).ToString("N");
        vary.VaryByValues["day"] = Today.Of(clock).ToString("yyyy-MM-dd");
        vary.VaryByValues["user"] = $"{user.FindFirstValue(ClaimTypes.NameIdentifier)}|{user.Identity.Name}|{user.Identity.AuthenticationType}";
        vary.VaryByValues["roles"] = string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
        vary.VaryByValues["session"] = http.Request.Cookies.TryGetValue(antiforgery, out var token) ? Hash(token) : "";
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReportCacheOptions>(configuration.GetSection("Reports"));
        services.AddOutputCache(o => o.AddPolicy(PolicyName, new ReportPageCache()));
    }
}
