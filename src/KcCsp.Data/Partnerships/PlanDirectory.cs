using KcCsp.Data.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Partnerships;

/// <summary>
/// Every plan and who belongs to which, kept for as long as the data stamp stays the same (memberships and plans are
/// report inputs: a change renews the stamp on every instance), so choosing a request's plan reads nothing when warm.
/// </summary>
public sealed class PlanDirectory(IServiceScopeFactory scopes, ReportVersion version)
{
    public sealed record Entry(PlanOption Plan, IReadOnlySet<string> Members);

    private sealed record Kept(Guid Stamp, IReadOnlyList<Entry> Plans);

    // One reference, swapped whole: readers on other threads see the old list or the new one, never half of each.
    private volatile Kept? kept;

    public async Task<IReadOnlyList<Entry>> PlansAsync(CancellationToken ct = default)
    {
        var stamp = await version.CurrentAsync(ct);
        if (kept is { } k && k.Stamp == stamp) return k.Plans;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        // One query: the plans with their members.
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { Option = new PlanOption(p.Id, p.Code, p.Partnership, p.Title, p.Years, p.HomeArea!.Name), Members = p.Members.Select(m => m.UserId).ToList() })
            .ToListAsync(ct);
        var entries = plans.Select(p => new Entry(p.Option, p.Members.ToHashSet(StringComparer.Ordinal))).ToList();
        kept = new Kept(stamp, entries);
        return entries;
    }
}
