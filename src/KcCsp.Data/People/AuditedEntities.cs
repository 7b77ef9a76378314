using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KcCsp.Data.People;

/// <summary>
/// One kind of record whose changes the audit trail keeps: its name on the trail, what the trail shows of it (a small
/// snapshot read from the database, for all records of the kind a save touches at once: before the save for "before", after it for "after", so references such as a
/// figure's measure appear by code and its parts, such as a peer group's members, are included), which other records
/// are parts of it, and any verb of its own ("revoked", "mapped") instead of created / updated / deleted.
/// </summary>
public sealed class AuditedEntity
{
    public required Type Type { get; init; }
    public required string Name { get; init; }
    /// <summary>The snapshots of the records with these keys, read in one query (or one per part), whatever their number; a key with no record is absent.</summary>
    public required Func<KcCspDbContext, IReadOnlyCollection<int>, CancellationToken, Task<Dictionary<int, object>>> Snapshots { get; init; }
    /// <summary>Records whose addition or removal changes this one (a peer group's members, an action's owners).</summary>
    public Func<IEntityType, bool> IsPart { get; init; } = _ => false;
    /// <summary>The verb for a change of the record itself; null means the change is not audited (e.g. a name the importer met).</summary>
    public Func<EntityEntry, string?> Verb { get; init; } = DefaultVerb;

    public static string DefaultVerb(EntityEntry e) => e.State switch
    {
        EntityState.Added => "created",
        EntityState.Deleted => "deleted",
        _ => "updated",
    };
}

/// <summary>The records whose changes are audited by <see cref="AuditInterceptor"/> when saved inside a <see cref="UnitOfWork"/>.</summary>
public static class AuditedEntities
{
    public static readonly IReadOnlyList<AuditedEntity> All =
    [
        new()
        {
            Type = typeof(Figure), Name = nameof(Figure),
            Snapshots = (db, ids, ct) => ById(db.Figures.Where(f => ids.Contains(f.Id))
                .Select(f => new { f.Id, Measure = f.Measure!.Code, Area = f.Area!.Name, f.From, f.To, f.Value, f.Source, f.SourceNote }),
                f => f.Id, f => new { f.Measure, f.Area, From = f.From.ToString(), To = f.To.ToString(), f.Value, f.Source, f.SourceNote }, ct),
        },
        new()
        {
            Type = typeof(Target), Name = nameof(Target),
            Snapshots = (db, ids, ct) => ById(db.Targets.Where(t => ids.Contains(t.Id))
                .Select(t => new { t.Id, Measure = t.Measure!.Code, t.FinancialYear, t.Form, t.Value, t.AsPrinted, t.Set }),
                t => t.Id, t => new { t.Measure, FinancialYear = t.FinancialYear.ToString(), t.Form, t.Value, t.AsPrinted, t.Set }, ct),
        },
        new()
        {
            Type = typeof(Measure), Name = nameof(Measure),
            Snapshots = (db, ids, ct) => ById(db.Measures.Where(m => ids.Contains(m.Id))
                .Select(m => new { m.Id, Snapshot = new { m.Code, m.Name, m.Description, m.Polarity, m.Unit, m.Source } }), m => m.Id, m => m.Snapshot, ct),
        },
        new()
        {
            Type = typeof(PlanAction), Name = nameof(PlanAction),
            IsPart = t => t.Name == "ActionOwners",
            // The owners come with their action in the same query (a collection projection, no APPLY: SQLite has none).
            Snapshots = (db, ids, ct) => ById(db.Actions.Where(a => ids.Contains(a.Id))
                .Select(a => new { a.Id, a.PriorityId, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, a.Status, a.PercentComplete, Owners = a.Owners.Select(o => o.Email).ToList() }),
                a => a.Id, a => new { a.PriorityId, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, a.Status, a.PercentComplete, Owners = a.Owners.Order().ToList() }, ct),
        },
        new()
        {
            Type = typeof(ActionUpdate), Name = nameof(ActionUpdate),
            Snapshots = (db, ids, ct) => ById(db.ActionUpdates.Where(u => ids.Contains(u.Id))
                .Select(u => new { u.Id, Snapshot = new { u.ActionId, u.Status, u.PercentComplete, u.Commentary, u.Date, Author = u.Author!.Email } }), u => u.Id, u => u.Snapshot, ct),
        },
        new()
        {
            Type = typeof(PeerGroup), Name = nameof(PeerGroup),
            IsPart = t => t.ClrType == typeof(PeerGroupMember),
            Snapshots = async (db, ids, ct) =>
            {
                var groups = await db.PeerGroups.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, g.Name, g.Description, g.IsDefault }).ToListAsync(ct);
                var members = (await db.PeerGroupMembers.AsNoTracking().Where(m => ids.Contains(m.PeerGroupId)).Select(m => new { m.PeerGroupId, Area = m.Area!.Name }).ToListAsync(ct))
                    .ToLookup(m => m.PeerGroupId, m => m.Area);
                return groups.ToDictionary(g => g.Id, object (g) => new
                {
                    g.Name, g.Description, g.IsDefault, Members = members[g.Id].Order(StringComparer.OrdinalIgnoreCase).ToList(),
                });
            },
        },
        new()
        {
            Type = typeof(ApiToken), Name = nameof(ApiToken),
            // Marking a token as used is not a change anyone needs to audit; creating and revoking are.
            Verb = e => e.State switch
            {
                EntityState.Modified when e.Property(nameof(ApiToken.RevokedAt)) is { IsModified: true, OriginalValue: null, CurrentValue: not null } => "revoked",
                EntityState.Modified => null,
                _ => AuditedEntity.DefaultVerb(e),
            },
            Snapshots = (db, ids, ct) => ById(db.ApiTokens.Where(t => ids.Contains(t.Id))
                .Select(t => new { t.Id, Snapshot = new { t.Name, t.Prefix, User = t.User!.UserName, t.ExpiresAt, Revoked = t.RevokedAt != null } }), t => t.Id, t => t.Snapshot, ct),
        },
        new()
        {
            Type = typeof(CategoryAlias), Name = nameof(CategoryAlias),
            // Names arrive with imports (audited as the import); an analyst's mapping is the change to audit.
            Verb = e => e.State == EntityState.Modified && e.Property(nameof(CategoryAlias.CategoryId)).IsModified ? "mapped" : null,
            Snapshots = (db, ids, ct) => ById(db.CategoryAliases.Where(a => ids.Contains(a.Id))
                .Select(a => new { a.Id, Snapshot = new { a.MajorName, a.MinorName, Category = a.Category == null ? null : a.Category.Code } }), a => a.Id, a => a.Snapshot, ct),
        },
        new()
        {
            Type = typeof(CrimeCategory), Name = nameof(CrimeCategory),
            Snapshots = (db, ids, ct) => ById(db.CrimeCategories.Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, Snapshot = new { c.Code, c.Name, c.MajorGroup } }), c => c.Id, c => c.Snapshot, ct),
        },
    ];

    /// <summary>One query's rows as snapshots by key.</summary>
    private static async Task<Dictionary<int, object>> ById<T>(IQueryable<T> rows, Func<T, int> key, Func<T, object> snapshot, CancellationToken ct) where T : class =>
        (await rows.AsNoTracking().ToListAsync(ct)).ToDictionary(key, snapshot);

    private static readonly Dictionary<Type, AuditedEntity> ByType = All.ToDictionary(a => a.Type);

    public static AuditedEntity? Of(Type type) => ByType.GetValueOrDefault(type);

    /// <summary>The audited record a changed part belongs to (a member's peer group), or null.</summary>
    public static AuditedEntity? WholeOf(IEntityType part) => All.FirstOrDefault(a => a.IsPart(part));
}
