using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KcCsp.Data.PostgreSql;

/// <summary>Lets `dotnet ef migrations add` build the model for this provider without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KcCspDbContext>
{
    public KcCspDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<KcCspDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.PostgreSQL, "Host=localhost;Database=kccsp;Username=kccsp");
        return new KcCspDbContext(options.Options);
    }
}
