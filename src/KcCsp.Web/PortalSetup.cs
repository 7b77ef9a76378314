using KcCsp.Web.Features.Partnerships;
using KcCsp.Data;
using KcCsp.Web.Features;
using KcCsp.Web.Features.People;
using KcCsp.Web.Features.Importing;
using Serilog;

namespace KcCsp.Web;

public static class PortalSetup
{
    /// <summary>
    /// The folder with appsettings.json: the project folder under `dotnet run`, the app folder when published.
    /// Relative paths in settings (the SQLite file, logs) resolve against it, wherever the command was started.
    /// </summary>
    public static string ContentRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var d = dir; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KcCsp.Web.csproj"))) return d.FullName;
        }
        return dir.FullName;
    }

    /// <summary>
    /// ASPNETCORE_ENVIRONMENT (or DOTNET_ENVIRONMENT) when set. Otherwise Development when run from a source checkout
    /// (`dotnet run`), Production when published. There is no launchSettings.json: `dotnet run` would print a line
    /// about it on standard output, ahead of the CLI's JSON.
    /// </summary>
    public static string EnvironmentName()
    {
        var set = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        if (!string.IsNullOrWhiteSpace(set)) return set;
        return File.Exists(Path.Combine(ContentRoot(), "KcCsp.Web.csproj")) ? Environments.Development : Environments.Production;
    }

    /// <summary>Logging to console and rolling file, settings from appsettings.json.</summary>
    public static void AddLogging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services));
    }

    /// <summary>
    /// Defaults for the content root and environment, given as environment variables so that anything more specific
    /// (a real ASPNETCORE_ variable, a command-line switch, the test host's settings) still wins.
    /// </summary>
    public static void SetHostDefaults()
    {
        if (Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is null)
            Environment.SetEnvironmentVariable("ASPNETCORE_CONTENTROOT", ContentRoot());
        if (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is null && Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is null)
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", EnvironmentName());
    }

    public static void AddPortal(this WebApplicationBuilder builder)
    {
        // Pages in plain UTF-8: "✓" and "–" stay readable in the HTML rather than becoming character references.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.AddLogging();
        builder.Services.AddKcCspData(builder.Configuration);
        builder.Services.AddControllersWithViews();
        builder.AddDeployment();
        builder.Services.AddScoped<DashboardService>();
        builder.Services.AddScoped<Features.Analysis.AnalysisPages>();
        ReportPageCache.AddTo(builder.Services, builder.Configuration);
        SignedInActor.AddTo(builder.Services);
        builder.AddPeople();
        builder.Services.AddOpenData();
        builder.AddImporting();
    }

    public static void UsePortal(this WebApplication app)
    {
        app.UseForwardedHeadersFromProxies();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }
        app.UseHttpsOnly();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSerilogRequestLogging();
        app.UseStaticFiles();
        app.UseRouting();
        // Kept report pages are looked up before sign-in decrypts the cookie (see ReportPageCache); a miss signs in as always.
        app.UseOutputCache();
        app.UsePeople();
        app.UsePlanChoice();
        app.Use(ReportPageCache.LimitToSession);
        app.MapHealth();
        app.MapControllers();
        app.MapOpenData();
        app.UseImporting();
    }
}
