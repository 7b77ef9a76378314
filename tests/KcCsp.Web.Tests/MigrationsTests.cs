using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KcCsp.Web.Tests;

/// <summary>Every provider's checked-in migrations describe the current model.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider, string> Providers => new()
    {
        { DatabaseProvider.Sqlite, "Data Source=:memory:" },
        { DatabaseProvider.SqlServer, "Server=localhost;Database=KcCsp;Trusted_Connection=True;TrustServerCertificate=True" },
        { DatabaseProvider.PostgreSQL, "Host=localhost;Database=kccsp" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Provider_has_no_pending_model_changes(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<KcCspDbContext>();
        DatabaseSetup.Configure(options, provider, connectionString);
        using var db = new KcCspDbContext(options.Options);

        db.Database.GetMigrations().Should().NotBeEmpty($"{provider} has migrations of its own");
        db.GetService<IMigrationsAssembly>().Assembly.GetName().Name.Should().Be(DatabaseSetup.MigrationsAssembly(provider));
        db.Database.HasPendingModelChanges().Should().BeFalse($"the {provider} migrations must match the model: run scripts/add-migration.sh");
    }

    /// <summary>
    /// The migrations turn into SQL without a server (the only way SQL Server's are exercised here): every table of the
    /// model, the data-protection keys among them, is created by the script.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void Provider_migrations_script_creates_every_table(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<KcCspDbContext>();
        DatabaseSetup.Configure(options, provider, connectionString);
        using var db = new KcCspDbContext(options.Options);

        var script = db.GetService<IMigrator>().GenerateScript();

        var quote = provider == DatabaseProvider.SqlServer ? ("[", "]") : ("\"", "\"");
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
            script.Should().Contain($"CREATE TABLE {quote.Item1}{table}{quote.Item2}", $"{provider} creates {table}");
        script.Should().Contain("DataProtectionKeys");
    }
}
