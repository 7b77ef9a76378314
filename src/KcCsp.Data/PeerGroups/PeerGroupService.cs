using System.ComponentModel.DataAnnotations;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.PeerGroups;

public sealed class PeerGroupInput
{
    [Required(ErrorMessage = "Give the group a name.")]
    [StringLength(100, ErrorMessage = "A group's name is at most 100 characters.")]
    public string Name { get; set; } = "";
    [StringLength(1000, ErrorMessage = "A description is at most 1,000 characters.")]
    public string? Description { get; set; } = "";
    public bool IsDefault { get; set; }
    /// <summary>The members' ONS codes.</summary>
    public List<string> Members { get; set; } = [];
}

public sealed record PeerGroupRow(int Id, string Name, string Description, bool IsDefault, IReadOnlyList<string> Members);

public sealed record BoroughChoice(string Code, string Name);

public sealed record PeerGroupFormModel(int? Id, PeerGroupInput Group, IReadOnlyList<BoroughChoice> Boroughs);

public sealed record PeerGroupsModel(IReadOnlyList<PeerGroupRow> Groups, PeerGroupFormModel NewGroup);

/// <summary>Peer groups, kept by analysts; every change is audited.</summary>
public sealed class PeerGroupService(KcCspDbContext db, UnitOfWork unit)
{
    public async Task<PeerGroupsModel> ListAsync(CancellationToken ct = default)
    {
        var groups = await db.PeerGroups.AsNoTracking().Include(g => g.Members).ThenInclude(m => m.Area).ToListAsync(ct);
        var rows = groups.OrderBy(g => g.IsDefault ? 0 : 1).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PeerGroupRow(g.Id, g.Name, g.Description, g.IsDefault, MemberNames(g)))
            .ToList();
        return new PeerGroupsModel(rows, await FormAsync(null, new PeerGroupInput(), ct));
    }

    public async Task<PeerGroupFormModel?> EditFormAsync(int id, CancellationToken ct = default)
    {
        var g = await db.PeerGroups.AsNoTracking().Include(x => x.Members).ThenInclude(m => m.Area).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (g is null) return null;
        return await FormAsync(id, new PeerGroupInput
        {
            Name = g.Name, Description = g.Description, IsDefault = g.IsDefault,
            Members = g.Members.Select(m => m.Area!.Code ?? m.Area.Name).ToList(),
        }, ct);
    }

    public async Task<PeerGroupFormModel> FormAsync(int? id, PeerGroupInput input, CancellationToken ct = default)
    {
        var boroughs = (await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Borough).ToListAsync(ct))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Select(a => new BoroughChoice(a.Code ?? a.Name, a.Name)).ToList();
        return new PeerGroupFormModel(id, input, boroughs);
    }

    public async Task<Result> SaveAsync(int? id, PeerGroupInput input, string who, CancellationToken ct = default)
    {
        var name = input.Name.Trim();
        var wanted = input.Members.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var boroughs = await db.Areas.Where(a => a.Kind == AreaKind.Borough).ToListAsync(ct);
        var members = new List<Area>();
        var errors = new List<string>();
        foreach (var code in wanted)
        {
            var area = boroughs.FirstOrDefault(a => string.Equals(a.Code ?? a.Name, code, StringComparison.OrdinalIgnoreCase));
            if (area is null) errors.Add($"'{code}' is not a London borough.");
            else members.Add(area);
        }
        if (members.Count < 2 && errors.Count == 0) errors.Add("A peer group needs at least two boroughs.");
        var sameName = (await db.PeerGroups.Where(g => g.Id != (id ?? 0)).Select(g => g.Name).ToListAsync(ct))
            .Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (sameName) errors.Add($"There is already a peer group called '{name}'.");
        if (errors.Count > 0) return Result.Invalid([.. errors]);

        PeerGroup? group = null;
        var result = await unit.RunAsync(who, async ct =>
        {
            group = await db.EditOrAddAsync(id, q => q.Include(g => g.Members), () => new PeerGroup { Name = name }, ct);
            if (group is null) return Result.NotFound;
            group.Name = name;
            group.Description = (input.Description ?? "").Trim();
            group.IsDefault = input.IsDefault;
            group.Members.RemoveAll(m => members.All(a => a.Id != m.AreaId));
            foreach (var area in members.Where(a => group.Members.All(m => m.AreaId != a.Id)))
                group.Members.Add(new PeerGroupMember { Area = area, AreaId = area.Id });
            if (input.IsDefault)
            {
                // One default group: choosing this one stops the other being it.
                foreach (var other in await db.PeerGroups.Where(g => g.IsDefault && g.Id != (id ?? 0)).ToListAsync(ct)) other.IsDefault = false;
            }
            return new Result(Outcome.Done);
        }, ct);
        return result.Outcome == Outcome.Done ? result with { Id = group!.Id } : result;
    }

    public async Task<Result> DeleteAsync(int id, string who, CancellationToken ct = default)
    {
        return await unit.RunAsync(who, async ct =>
        {
            var group = await db.PeerGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == id, ct);
            if (group is null) return Result.NotFound;
            db.PeerGroups.Remove(group);
            return new Result(Outcome.Done, id);
        }, ct);
    }

    private static List<string> MemberNames(PeerGroup g) =>
        g.Members.Select(m => m.Area!.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
}
