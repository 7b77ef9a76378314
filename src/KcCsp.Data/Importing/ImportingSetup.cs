using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Importing;

public static class ImportingSetup
{
    public static IServiceCollection AddCrimeImporting(this IServiceCollection services)
    {
        services.AddSingleton<ImportLock>();
        services.AddScoped<IBulkWriter>(sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            return BulkTables.For(db.Database.IsNpgsql() ? DatabaseProvider.PostgreSQL : db.Database.IsSqlServer() ? DatabaseProvider.SqlServer : DatabaseProvider.Sqlite);
        });
        services.AddScoped<MeasureValueRecomputer>();
        services.AddScoped<CrimeImporter>();
        services.AddScoped<ImportHistory>();
        services.AddScoped<CategoryMapping>();
        services.AddScoped<PopulationImporter>();
        return services;
    }
}
