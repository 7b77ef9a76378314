using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KcCsp.Data.SqlServer;

/// <summary>Lets `dotnet ef migrations add` build the model for this provider without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KcCspDbContext>
{
    public KcCspDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<KcCspDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.SqlServer, "Server=localhost;Database=KcCsp;Trusted_Connection=True;TrustServerCertificate=True");
        return new KcCspDbContext(options.Options);
    }
}
