using System.Collections.Concurrent;
using KcCsp.Data.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.People;

/// <summary>
/// A user's current security stamp, which every sign-in cookie is checked against on each request, without a read of
/// the user per request: a stamp once read is kept for as long as the <see cref="DataVersion"/> stamp stays the same.
/// Everything that renews a security stamp or ends sessions (a sign-out, a lock, a role change, a password change, a
/// removed account) also renews the data stamp in the same save (<see cref="DataVersionInterceptor"/>), and
/// <see cref="ReportVersion"/> re-reads that at once on the instance that saved and within
/// <c>Reports:StampCheckSeconds</c> on every other: then every kept security stamp is forgotten and read again.
/// </summary>
public sealed class SessionStamps(IServiceScopeFactory scopes, ReportVersion version)
{
    private readonly ConcurrentDictionary<string, string?> known = new();
    private readonly Lock gate = new();
    private Guid knownAt;

    /// <returns>The stamp, or null when the user no longer exists.</returns>
    public async Task<string?> CurrentAsync(string userId, CancellationToken ct = default)
    {
        // The data stamp first: a security stamp read after it is at least as new as it, never older.
        var data = await version.CurrentAsync(ct);
        lock (gate)
        {
            if (data != knownAt)
            {
                known.Clear();
                knownAt = data;
            }
        }
        if (known.TryGetValue(userId, out var kept)) return kept;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var stamp = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(ct);
        lock (gate)
        {
            // Kept only under the data stamp it was read after; a change meanwhile leaves it for the next read.
            if (knownAt == data && known.Count < 100_000) known[userId] = stamp;
        }
        return stamp;
    }
}
