using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

public static class ReportsSetup
{
    /// <summary>The report service, its periods, the data-version stamp and the interceptor that renews it.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Reports:StampCheckSeconds", 1.0);
        services.AddMemoryCache();
        services.AddSingleton(sp => new ReportVersion(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(seconds)));
        services.AddSingleton<DataVersionInterceptor>();
        services.AddScoped<ReportService>();
        services.AddScoped<ReportingPeriods>();
        services.AddScoped<MonthlySeries>();
        return services;
    }
}
