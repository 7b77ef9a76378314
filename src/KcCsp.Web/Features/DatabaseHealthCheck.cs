using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KcCsp.Web.Features;

/// <summary>/health/ready answers Healthy only when the database answers and every migration is applied.</summary>
public sealed class DatabaseHealthCheck(KcCspDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await db.Database.CanConnectAsync(cancellationToken)) return HealthCheckResult.Unhealthy("Database unreachable.");
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("Database reachable and migrated.")
            : HealthCheckResult.Unhealthy($"Database reachable; {pending.Count} migration(s) not applied yet.");
    }
}
