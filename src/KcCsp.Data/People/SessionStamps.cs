using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.People;

/// <summary>A user's current security stamp, which every sign-in cookie is checked against on each request.</summary>
public sealed class SessionStamps(KcCspDbContext db)
{
    /// <returns>The stamp, or null when the user no longer exists.</returns>
    public Task<string?> CurrentAsync(string userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(ct);
}
