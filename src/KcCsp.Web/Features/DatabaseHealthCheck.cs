using KcCsp.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KcCsp.Web.Features;

/// <summary>/health answers Healthy only when the database answers.</summary>
public sealed class DatabaseHealthCheck(KcCspDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Database reachable.")
            : HealthCheckResult.Unhealthy("Database unreachable.");
}
