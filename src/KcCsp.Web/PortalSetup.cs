using KcCsp.Data;
using KcCsp.Web.Features;
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

    public static void AddPortal(this WebApplicationBuilder builder)
    {
        builder.AddLogging();
        builder.Services.AddKcCspData(builder.Configuration);
        builder.Services.AddControllersWithViews();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddScoped<DashboardService>();
    }

    public static void UsePortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSerilogRequestLogging();
        app.UseStaticFiles();
        app.UseRouting();
        app.MapHealthChecks("/health");
        app.MapControllers();
    }
}
