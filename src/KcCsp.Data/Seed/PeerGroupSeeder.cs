using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Seed;

/// <summary>
/// Loads the peer groups of Seed/peer-groups.json ("Inner London") into a database that has none; after that the
/// groups are the analysts' to keep, and a restart does not undo their edits.
/// </summary>
public sealed class PeerGroupSeeder(KcCspDbContext db, ILogger<PeerGroupSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (await db.PeerGroups.AnyAsync(ct)) return;
        var file = PlanSeedFile.Load<PeerGroupSeedFile>("peer-groups.json");
        var areas = await db.Areas.ToDictionaryAsync(a => a.Name, StringComparer.OrdinalIgnoreCase, ct);
        foreach (var g in file.PeerGroups)
        {
            var group = new PeerGroup { Name = g.Name, Description = g.Description, IsDefault = g.IsDefault };
            foreach (var name in g.Members)
            {
                var area = areas.GetValueOrDefault(name)
                    ?? throw new InvalidOperationException($"Seed/peer-groups.json: '{g.Name}' names '{name}', which is not an area of Seed/areas.json.");
                group.Members.Add(new PeerGroupMember { Area = area });
            }
            db.PeerGroups.Add(group);
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded {PeerGroupCount} peer groups", file.PeerGroups.Count);
    }
}
