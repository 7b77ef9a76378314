using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Importing;

public static class ImportingSetup
{
    /// <param name="provider">The configured database: the bulk writer is chosen from it, not from the DbContext, whose
    /// first use builds EF Core's services (about a second) — the importer starts reading the file before that.</param>
    public static IServiceCollection AddCrimeImporting(this IServiceCollection services, DatabaseProvider provider)
    {
        services.AddSingleton<ImportLock>();
        services.AddSingleton(BulkTables.For(provider));
        services.AddScoped<MeasureValueRecomputer>();
        services.AddScoped<ImportFinisher>();
        services.AddScoped<PoliceUk.PoliceUkImporter>();
        services.AddScoped<PoliceUk.LsoaLookupImporter>();
        services.AddScoped<CrimeImporter>();
        services.AddScoped<ImportHistory>();
        services.AddScoped<CategoryMapping>();
        services.AddScoped<PopulationImporter>();
        services.AddScoped<ImportRecords>();
        services.AddScoped<NightlyImportRecords>();
        return services;
    }
}
