using System.Net;
using KcCsp.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;

namespace KcCsp.Web.Features;

/// <summary>Settings under "ForwardedHeaders": the reverse proxies whose X-Forwarded-Proto and X-Forwarded-For are believed.</summary>
public sealed class ProxyOptions
{
    /// <summary>Addresses of proxies, besides loopback (127.0.0.0/8 and ::1, always trusted).</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks in CIDR notation (e.g. a container network, 172.28.0.0/24) whose every address is a trusted proxy.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// The portal as deployed: behind a proxy that ends TLS, several instances on one database. Forwarded headers from
/// configured proxies, HTTPS required outside Development, data-protection keys in the database, health endpoints.
/// </summary>
public static class Deployment
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static void AddDeployment(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders").Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults (127.0.0.0/8 and ::1) stay: a proxy on the same machine needs no setting.
            foreach (var address in proxies.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(address, out var ip)
                    ? ip
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{address}' is not an IP address."));
            }
            foreach (var network in proxies.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var net)
                    ? net
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 172.28.0.0/24)."));
            }
        });

        // Keys that protect sign-in cookies and anti-forgery tokens live in the database: a restart keeps everyone
        // signed in and every instance reads every other's cookies. One application name, whatever the content root.
        builder.Services.AddDataProtection().SetApplicationName("KcCsp").PersistKeysToDbContext<KcCspDbContext>();

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
    }

    /// <summary>First in the pipeline: the scheme and client address must be right before anything reads them.</summary>
    public static void UseForwardedHeadersFromProxies(this WebApplication app) => app.UseForwardedHeaders();

    /// <summary>
    /// Outside Development every cookie is Secure, so a page answered over plain HTTP could not sign anyone in (and
    /// anti-forgery would refuse the form). A plain-HTTP request that no trusted proxy vouches for is redirected to
    /// HTTPS when the HTTPS port is known (the standard HTTPS_PORT / ASPNETCORE_HTTPS_PORT setting), and otherwise
    /// answered with a page that says what to do. Health endpoints answer over plain HTTP for load balancers.
    /// </summary>
    public static void UseHttpsOnly(this WebApplication app)
    {
        if (app.Environment.IsDevelopment()) return;
        if (HttpsPort(app.Configuration) is not null)
        {
            app.UseWhen(ctx => !IsHealth(ctx.Request.Path), branch => branch.UseHttpsRedirection());
            return;
        }
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.IsHttps || IsHealth(ctx.Request.Path))
            {
                await next(ctx);
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync(HttpsRequiredPage, ctx.RequestAborted);
        });
    }

    private static string? HttpsPort(IConfiguration configuration) =>
        new[] { "HTTPS_PORT", "ASPNETCORE_HTTPS_PORT", "https_port" }.Select(k => configuration[k]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static bool IsHealth(PathString path) => path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>A fixed page (no view, no layout, nothing that can fail) for a plain-HTTP request in Production.</summary>
    public const string HttpsRequiredPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>HTTPS required - KcCsp</title></head>
        <body>
        <h1>This portal is reached over HTTPS only</h1>
        <p>The request came over plain HTTP. Open the portal's https:// address instead.</p>
        <p>For whoever runs the portal: if a reverse proxy ends TLS in front of it, the proxy must send
        <code>X-Forwarded-Proto: https</code> and its address must be trusted: loopback always is; list others in
        <code>ForwardedHeaders:KnownProxies</code> or <code>ForwardedHeaders:KnownNetworks</code>. To redirect plain
        HTTP to HTTPS instead of showing this page, set <code>HTTPS_PORT</code>. See the README's "Deploying" section.</p>
        </body>
        </html>
        """;

    /// <summary>
    /// /health/live: the process answers (no checks). /health/ready: the database is reachable and fully migrated.
    /// Both without sign-in: load balancers, container engines and monitors have no account.
    /// </summary>
    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
    }
}
