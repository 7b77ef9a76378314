using KcCsp.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

/// <summary>SPC charts; the run lengths are settings (`Spc:ShiftRunLength`, `Spc:TrendRunLength`: 7, some boards use 6).</summary>
public static class AnalyticsSetup
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        var defaults = new SpcSettings();
        services.AddSingleton(new SpcSettings(
            configuration.GetValue("Spc:ShiftRunLength", defaults.ShiftRunLength),
            configuration.GetValue("Spc:TrendRunLength", defaults.TrendRunLength),
            configuration.GetValue("Spc:ScreenOutliers", defaults.ScreenOutliers)));
        services.AddScoped<SpcCharts>();
        return services;
    }
}
