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
}
