using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

public static class ReportsSetup
{
    /// <summary>The report service, its periods, the data-version stamp and the interceptor that renews it.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        // 0 (the default): the stamp is read on every report request, one primary-key read. Kept report pages belong to
        // sessions, and a sign-out or lock on one instance renews the stamp: read any less often, another instance could
        // serve a signed-out session's kept page until its next read.
        var seconds = configuration.GetValue("Reports:StampCheckSeconds", 0.0);
        services.AddMemoryCache();
        services.AddSingleton(sp => new ReportVersion(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(seconds)));
        services.AddSingleton<DataVersionInterceptor>();
        services.AddSingleton<ReportBuilds>();
        services.AddScoped<ReportService>();
        services.AddScoped<PlanCatalog>();
        services.AddScoped<Partnerships.PlanScope>();
        services.AddSingleton<Partnerships.PlanDirectory>();
        services.AddScoped<ReportingPeriods>();
        services.AddScoped<MonthlySeries>();
        return services;
    }
}
