using System.Security.Cryptography;
using System.Text;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features;

/// <summary>Settings of <see cref="ReportPageCache"/> (section "Reports").</summary>
public sealed class ReportCacheOptions
{
    /// <summary>Keep rendered report pages, CSV files and board packs until the data changes. On by default.</summary>
    public bool OutputCache { get; set; } = true;
    /// <summary>
    /// How long one session's kept response is served without asking sign-in again. No longer than the security-stamp
    /// check (one minute), so a locked-out user or a changed role is not served kept pages for longer than before.
    /// </summary>
    public int OutputCacheSeconds { get; set; } = 60;
}

/// <summary>
/// Output caching for the report pages, their CSV files and the board pack: computed once, served many times.
/// A kept response belongs to one signed-in session: the key is a hash of the session's sign-in and anti-forgery
/// cookies (the page names the user, shows their roles' links and holds the sign-out form's token), so it is served
/// only to a request that presents the very cookies that were signed in when it was made, and it is looked up before
/// the cookie is decrypted (that is what makes a kept page as cheap as a static file). A request without a sign-in
/// cookie is never served from the cache; a miss goes through sign-in and authorization as always, and only 200
/// responses that set no cookie are kept. The key also holds the data stamp (any change to what reports read makes a
/// new key on every instance sharing the database) and today's date (overdue flags). A kept page never outlives the
/// session that saw it (<see cref="LimitToSession"/>).
/// </summary>
public sealed class ReportPageCache : IOutputCachePolicy
{
    public const string PolicyName = "Reports";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<ReportCacheOptions>>().Value;
        var signIn = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? "";
        var antiforgery = services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name ?? "";
        // The sign-in cookie may be split into chunks (name, nameC1, nameC2, …): all of them make the session.
        var session = http.Request.Cookies.Where(c => c.Key.StartsWith(signIn, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (!options.OutputCache || !HttpMethods.IsGet(http.Request.Method) || session.Count == 0 || signIn.Length == 0)
        {
            context.EnableOutputCaching = false;
            return;
        }
        var version = services.GetRequiredService<ReportVersion>();
        var clock = services.GetRequiredService<TimeProvider>();

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        // No locking: a kept response is one session's, so locking only ever joined one session's identical requests,
        // and a request its client aborted then failed every request waiting on it (a 500 in bench/morning.sh). The
        // expensive part, the report, is already built once per change for all who wait (ReportBuilds).
        context.AllowLocking = false;
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(options.OutputCacheSeconds);
        var vary = context.CacheVaryByRules;
        vary.QueryKeys = "*";
        vary.VaryByValues["data"] = (await version.CurrentAsync(ct)).ToString("N");
        vary.VaryByValues["day"] = Today.Of(clock).ToString("yyyy-MM-dd");
        // The picker's choice: the same session's pages of two partnerships are two pages (a query's plan= is in the URL's key).
        vary.VaryByValues["plan"] = http.Request.Cookies[Partnerships.PlanChoice.Cookie] ?? "";
        var cookies = new StringBuilder();
        foreach (var (name, value) in session) cookies.Append(name).Append('=').Append(value).Append(';');
        cookies.Append(antiforgery).Append('=').Append(http.Request.Cookies[antiforgery]);
        vary.VaryByValues["session"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cookies.ToString())));
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        // Never keep what a signed-in session did not see: a redirect to sign-in, a 403, an error, a renewed cookie.
        // (How long a kept page may live within its session is LimitToSession's.)
        if (http.Response.StatusCode != StatusCodes.Status200OK || http.Response.Headers.SetCookie.Count > 0 || http.User.Identity?.IsAuthenticated != true)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Middleware after sign-in: a page kept for a session lives no longer than that session (its absolute end,
    /// Sessions:Lifetime). The lifetime must be set before the response starts, which is when the output cache fixes it.
    /// </summary>
    public static Task LimitToSession(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IOutputCacheFeature>()?.Context is { EnableOutputCaching: true } cache)
        {
            var ends = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
            var left = ends - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            if (left is { } l)
            {
                if (l <= TimeSpan.Zero) cache.AllowCacheStorage = false;
                else if (cache.ResponseExpirationTimeSpan is not { } planned || l < planned) cache.ResponseExpirationTimeSpan = l;
            }
        }
        return next(http);
    }

    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReportCacheOptions>(configuration.GetSection("Reports"));
        services.AddOutputCache(o => o.AddPolicy(PolicyName, new ReportPageCache()));
    }
}
