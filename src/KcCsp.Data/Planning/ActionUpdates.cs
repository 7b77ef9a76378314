using KcCsp.Data;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Planning;

/// <summary>Officers' progress updates of actions, newest first, for the board pack, the actions CSV and the API.</summary>
public sealed class ActionUpdates(KcCspDbContext db)
{
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<UpdateView>>> HistoryAsync(IReadOnlyCollection<int> actionIds, CancellationToken ct = default)
    {
        var rows = await db.ActionUpdates.AsNoTracking().Where(u => actionIds.Contains(u.ActionId)).ToListAsync(ct);
        return rows.GroupBy(u => u.ActionId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<UpdateView>)NewestFirst(g).Select(ActionPlanService.View).ToList());
    }

    /// <summary>An action's updates, newest first: by date, then by entry (two updates on one day: the later entry).</summary>
    public static IOrderedEnumerable<Model.ActionUpdate> NewestFirst(IEnumerable<Model.ActionUpdate> updates) =>
        updates.OrderByDescending(u => u.Date).ThenByDescending(u => u.Id);
}
