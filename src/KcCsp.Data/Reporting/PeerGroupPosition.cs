using KcCsp.Data.Model;
using KcCsp.Domain;

namespace KcCsp.Data.Reporting;

/// <summary>One member of a peer group: its value for the period and its rate per 1,000 residents.</summary>
public sealed record PeerMemberRate(ReportArea Area, decimal Value, decimal Rate);

/// <summary>
/// Where a borough stands in its peer group by rate per 1,000 residents: <see cref="Rank"/> counts from the lowest rate
/// (1 = lowest) over the group's size and phrases itself like the London rank ("2nd lowest"); <see cref="Average"/> is the
/// mean of the members' rates, to two decimals. Computed by <see cref="ReportService"/> with the rest of a report row.
/// </summary>
public sealed record PeerGroupPosition(string Name, LondonRank Rank, decimal Average, IReadOnlyList<PeerMemberRate> Members)
{
    public int Size => Rank.Count;
}

/// <summary>Which peer group a borough is compared within.</summary>
public static class PeerGroups
{
    /// <summary>The default group when the area is in it, else the first group (by name) it is in; null when it is in none.</summary>
    public static PeerGroup? For(IEnumerable<PeerGroup> groups, int areaId) => groups
        .Where(g => g.Members.Any(m => m.AreaId == areaId))
        .OrderBy(g => g.IsDefault ? 0 : 1).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
        .FirstOrDefault();
}
