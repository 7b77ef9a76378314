using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>One member of a peer group: its value for the period and its rate per 1,000 residents.</summary>
public sealed record PeerMemberRate(string Area, decimal Value, decimal Rate);

/// <summary>
/// Where a borough stands in its peer group by rate per 1,000 residents: <see cref="Position"/> 1 is the lowest rate,
/// <see cref="Rank"/> phrases it like the London rank over the group's size ("2nd lowest"), and <see cref="Average"/>
/// is the mean of the members' rates (to two decimals).
/// </summary>
public sealed record PeerGroupView(string Name, int Size, int Position, string Rank, decimal Average, IReadOnlyList<PeerMemberRate> Members);

public sealed class UnknownPeerGroupException(string name) : Exception($"There is no peer group called '{name}'.");

/// <summary>Positions in peer groups: the group comparison of the priority pages, the CLI's and the API's "peerGroup".</summary>
public sealed class PeerGroupPositions(KcCspDbContext db, MeasureValues values)
{
    /// <summary>
    /// The group the area is compared within: the named one, or else the default group when the area is in it,
    /// or else the first group (by name) the area is in. Null when the area is in no group.
    /// </summary>
    public async Task<PeerGroup?> GroupForAsync(Area area, string? name = null, CancellationToken ct = default)
    {
        var groups = await db.PeerGroups.AsNoTracking().Include(g => g.Members).ThenInclude(m => m.Area).ToListAsync(ct);
        if (name is not null)
        {
            return groups.FirstOrDefault(g => string.Equals(g.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new UnknownPeerGroupException(name);
        }
        return groups.Where(g => g.Members.Any(m => m.AreaId == area.Id))
            .OrderBy(g => g.IsDefault ? 0 : 1).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault();
    }

    /// <summary>
    /// The area's position in the group for the period; null when the measure has no rate (a percentage), the area is not
    /// in the group, or any member lacks a value or (for a count) a population: a position among some of the group would mislead.
    /// </summary>
    public async Task<PeerGroupView?> PositionAsync(Measure measure, Area area, Period period, PeerGroup? group, CancellationToken ct = default)
    {
        if (group is null || measure.Unit == MeasureUnit.Percentage || group.Members.All(m => m.AreaId != area.Id)) return null;
        var members = new List<PeerMemberRate>(group.Members.Count);
        foreach (var member in group.Members.OrderBy(m => m.Area!.Name, StringComparer.OrdinalIgnoreCase))
        {
            var borough = member.Area!;
            var value = await values.FindAsync(measure, borough, period, ct);
            if (value is null) return null;
            decimal rate;
            if (measure.Unit == MeasureUnit.Count)
            {
                var population = await values.PopulationForAsync(borough, period.From.FinancialYear, ct);
                if (population is null) return null;
                rate = Rate.Per1000(value.Value, population.Value);
            }
            else
            {
                rate = value.Value;
            }
            members.Add(new PeerMemberRate(borough.Name, ComparisonService.Tidy(value.Value)!.Value, rate));
        }

        var rank = LondonRank.Of(members.Select(m => new KeyValuePair<string, decimal>(m.Area, m.Rate)), area.Name)!.Value;
        var average = Math.Round(members.Average(m => m.Rate), 2, MidpointRounding.AwayFromZero);
        return new PeerGroupView(group.Name, members.Count, rank.PositionFromLowest, rank.Phrase, average, members);
    }
}
