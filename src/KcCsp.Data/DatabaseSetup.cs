using KcCsp.Data.People;
using KcCsp.Data.Importing;
using KcCsp.Data.Analysis;
using KcCsp.Data.Reporting;
using KcCsp.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KcCsp.Data;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSQL }

public static class DatabaseSetup
{
    /// <summary>Each provider keeps its migrations in its own assembly (EF Core "migrations with multiple providers").</summary>
    public static string MigrationsAssembly(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "KcCsp.Data.Sqlite",
        DatabaseProvider.SqlServer => "KcCsp.Data.SqlServer",
        DatabaseProvider.PostgreSQL => "KcCsp.Data.PostgreSql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{name}' is not one of Sqlite, SqlServer, PostgreSQL.");
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        var assembly = MigrationsAssembly(provider);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(assembly));
                break;
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(connectionString, o => o.MigrationsAssembly(assembly));
                break;
            case DatabaseProvider.PostgreSQL:
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly(assembly));
                break;
        }
    }

    public static IServiceCollection AddKcCspData(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString(provider.ToString())
            ?? throw new InvalidOperationException($"ConnectionStrings:{provider} is not set.");
        services.AddSingleton(TimeProvider.System);
        services.AddReports(configuration);
        services.AddDbContext<KcCspDbContext>((sp, o) =>
        {
            Configure(o, provider, connectionString);
            o.AddInterceptors(sp.GetRequiredService<DataVersionInterceptor>(), sp.GetRequiredService<People.AuditInterceptor>(), People.AuditTrailGuard.Instance);
        });
        services.AddScoped<PlanSeeder>();
        services.AddScoped<Partnerships.PlanFiles>();
        services.AddScoped<CategorySeeder>();
        services.AddScoped<PeerGroupSeeder>();
        // The use cases that change the plan's records: the web's forms call them, and any host may.
        services.AddScoped<Planning.ActionPlanService>();
        services.AddScoped<Planning.ManualFigureService>();
        services.AddScoped<Planning.PlanSettingsService>();
        services.AddScoped<PeerGroups.PeerGroupService>();
        services.AddScoped<SmallAreas.Hotspots>();
        services.AddScoped<SmallAreas.WardPopulationImporter>();
        services.AddCrimeImporting(provider);
        services.AddOptions<Importing.ExtractLimits>().Bind(configuration.GetSection(Importing.ExtractLimits.Section));
        services.AddAnalytics(configuration);
        services.AddAnalysis();
        services.AddPeopleData();
        return services;
    }

    /// <summary>
    /// For command-line verbs that only need a ready database (`import`): one cheap query tells whether the latest
    /// migration is applied and the plan and categories are seeded; only if not does it run <see cref="MigrateAndSeedAsync"/>.
    /// The full checks (which also load K&C's plan file, plans/kc-2010-2013.json, into a database without it) run at the portal's start and
    /// in `migrate`. Saves the seed checks' query compilation, about half a second of every import's start-up.
    /// </summary>
    public static async Task EnsureReadyAsync(IServiceProvider services, CancellationToken ct = default)
    {
        if (await IsReadyAsync(services, ct)) return;
        await MigrateAndSeedAsync(services, ct);
    }

    private static async Task<bool> IsReadyAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var latest = db.Database.GetMigrations().LastOrDefault();
        if (latest is null) return false;
        var connection = db.Database.GetDbConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            // Quoted identifiers: valid on SQLite, PostgreSQL and SQL Server alike. The migration id is our own.
            command.CommandText = "SELECT (SELECT COUNT(*) FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '" + latest.Replace("'", "''") + "')"
                + " + (SELECT CASE WHEN EXISTS (SELECT 1 FROM \"Plans\") THEN 1 ELSE 0 END)"
                + " + (SELECT CASE WHEN EXISTS (SELECT 1 FROM \"CrimeCategories\") THEN 1 ELSE 0 END)";
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 3;
        }
        catch (System.Data.Common.DbException)
        {
            return false; // no tables yet, or a partly migrated database: the full path deals with it
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>
    /// Creates or migrates the database and loads the plan: what every portal start and the `migrate` verb do. Several
    /// instances may start at once on one PostgreSQL or SQL Server database: the database is created by whichever
    /// gets there first, then migration and seeding run under a database lock (<see cref="StartupLock"/>), so the
    /// second instance waits and finds everything done. In the portal, the first data-protection key is made under
    /// the same lock, so two instances starting together agree on it.
    /// </summary>
    public static async Task MigrateAndSeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        await StartupLock.EnsureDatabaseExistsAsync(db, ct);
        await using var held = await StartupLock.AcquireAsync(db, ct);
        await db.Database.MigrateAsync(ct);
        // Categories first: the plan file's measures are defined over them.
        await scope.ServiceProvider.GetRequiredService<CategorySeeder>().SeedAsync(ct);
        await scope.ServiceProvider.GetRequiredService<PlanSeeder>().SeedAsync(ct);
        await scope.ServiceProvider.GetRequiredService<PeerGroupSeeder>().SeedAsync(ct);
        // Demo users only in Development: no other environment ever gets a known password.
        var development = scope.ServiceProvider.GetService<IHostEnvironment>()?.IsDevelopment() ?? false;
        await scope.ServiceProvider.GetRequiredService<PeopleSeeder>().SeedAsync(development, ct);
        // Protecting anything makes the key ring, creating its first key in the database if there is none yet.
        scope.ServiceProvider.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            ?.CreateProtector("KcCsp.Startup").Protect([1]);
    }
}
