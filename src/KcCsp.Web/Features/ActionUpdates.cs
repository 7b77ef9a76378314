using KcCsp.Data;

namespace KcCsp.Web.Features;

/// <summary>
/// The latest progress update of each action, for the board pack, the actions CSV and the API. Action updates are
/// not stored yet (they come with sign-in and officers' updates): this is the one place that will read them, and
/// until then every action's latest update is empty.
/// </summary>
public sealed class ActionUpdates(KcCspDbContext db)
{
    public Task<IReadOnlyDictionary<int, string>> LatestAsync(IReadOnlyCollection<int> actionIds, CancellationToken ct = default)
    {
        _ = db;
        _ = actionIds;
        _ = ct;
        return Task.FromResult<IReadOnlyDictionary<int, string>>(new Dictionary<int, string>());
    }

    /// <summary>The actions with their latest update filled in.</summary>
    public async Task<IReadOnlyList<ActionView>> WithLatestAsync(IReadOnlyList<ActionView> actions, CancellationToken ct = default)
    {
        var latest = await LatestAsync(actions.Select(a => a.Id).ToList(), ct);
        return actions.Select(a => latest.TryGetValue(a.Id, out var text) ? a with { LatestUpdate = text } : a).ToList();
    }
}
