using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KcCsp.Data.People;

/// <summary>
/// One kind of record whose changes the audit trail keeps: its name on the trail, what the trail shows of it (a small
/// snapshot read from the database: before the save for "before", after it for "after", so references such as a
/// figure's measure appear by code and its parts, such as a peer group's members, are included), which other records
/// are parts of it, and any verb of its own ("revoked", "mapped") instead of created / updated / deleted.
/// </summary>
public sealed class AuditedEntity
{
    public required Type Type { get; init; }
    public required string Name { get; init; }
    public required Func<KcCspDbContext, int, CancellationToken, Task<object?>> Snapshot { get; init; }
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
            Snapshot = async (db, id, ct) => (await db.Figures.AsNoTracking().Where(f => f.Id == id)
                    .Select(f => new { Measure = f.Measure!.Code, Area = f.Area!.Name, f.From, f.To, f.Value, f.Source, f.SourceNote }).SingleOrDefaultAsync(ct))
                is { } f ? new { f.Measure, f.Area, From = f.From.ToString(), To = f.To.ToString(), f.Value, f.Source, f.SourceNote } : null,
        },
        new()
        {
            Type = typeof(Target), Name = nameof(Target),
            Snapshot = async (db, id, ct) => (await db.Targets.AsNoTracking().Where(t => t.Id == id)
                    .Select(t => new { Measure = t.Measure!.Code, t.FinancialYear, t.Form, t.Value, t.AsPrinted, t.Set }).SingleOrDefaultAsync(ct))
                is { } t ? new { t.Measure, FinancialYear = t.FinancialYear.ToString(), t.Form, t.Value, t.AsPrinted, t.Set } : null,
        },
        new()
        {
            Type = typeof(Measure), Name = nameof(Measure),
            Snapshot = async (db, id, ct) => await db.Measures.AsNoTracking().Where(m => m.Id == id)
                .Select(m => new { m.Code, m.Name, m.Description, m.Polarity, m.Unit, m.Source }).SingleOrDefaultAsync(ct),
        },
        new()
        {
            Type = typeof(PlanAction), Name = nameof(PlanAction),
            IsPart = t => t.Name == "ActionOwners",
            Snapshot = async (db, id, ct) =>
            {
                var a = await db.Actions.AsNoTracking().Where(a => a.Id == id)
                    .Select(a => new { a.PriorityId, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, a.Status, a.PercentComplete }).SingleOrDefaultAsync(ct);
                if (a is null) return null;
                var owners = await db.Actions.AsNoTracking().Where(x => x.Id == id).SelectMany(x => x.Owners).Select(o => o.Email).ToListAsync(ct);
                return new { a.PriorityId, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, a.Status, a.PercentComplete, Owners = owners.Order().ToList() };
            },
        },
        new()
        {
            Type = typeof(ActionUpdate), Name = nameof(ActionUpdate),
            Snapshot = async (db, id, ct) => await db.ActionUpdates.AsNoTracking().Where(u => u.Id == id)
                .Select(u => new { u.ActionId, u.Status, u.PercentComplete, u.Commentary, u.Date, Author = u.Author!.Email }).SingleOrDefaultAsync(ct),
        },
        new()
        {
            Type = typeof(PeerGroup), Name = nameof(PeerGroup),
            IsPart = t => t.ClrType == typeof(PeerGroupMember),
            Snapshot = async (db, id, ct) =>
            {
                var g = await db.PeerGroups.AsNoTracking().Where(g => g.Id == id).Select(g => new { g.Name, g.Description, g.IsDefault }).SingleOrDefaultAsync(ct);
                if (g is null) return null;
                var members = await db.PeerGroupMembers.AsNoTracking().Where(m => m.PeerGroupId == id).Select(m => m.Area!.Name).ToListAsync(ct);
                return new { g.Name, g.Description, g.IsDefault, Members = members.Order(StringComparer.OrdinalIgnoreCase).ToList() };
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
            Snapshot = async (db, id, ct) => await db.ApiTokens.AsNoTracking().Where(t => t.Id == id)
                .Select(t => new { t.Name, t.Prefix, User = t.User!.UserName, t.ExpiresAt, Revoked = t.RevokedAt != null }).SingleOrDefaultAsync(ct),
        },
        new()
        {
            Type = typeof(CategoryAlias), Name = nameof(CategoryAlias),
            // Names arrive with imports (audited as the import); an analyst's mapping is the change to audit.
            Verb = e => e.State == EntityState.Modified && e.Property(nameof(CategoryAlias.CategoryId)).IsModified ? "mapped" : null,
            Snapshot = async (db, id, ct) => await db.CategoryAliases.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.MajorName, a.MinorName, Category = a.Category == null ? null : a.Category.Code }).SingleOrDefaultAsync(ct),
        },
        new()
        {
            Type = typeof(CrimeCategory), Name = nameof(CrimeCategory),
            Snapshot = async (db, id, ct) => await db.CrimeCategories.AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { c.Code, c.Name, c.MajorGroup }).SingleOrDefaultAsync(ct),
        },
    ];

    private static readonly Dictionary<Type, AuditedEntity> ByType = All.ToDictionary(a => a.Type);

    public static AuditedEntity? Of(Type type) => ByType.GetValueOrDefault(type);

    /// <summary>The audited record a changed part belongs to (a member's peer group), or null.</summary>
    public static AuditedEntity? WholeOf(IEntityType part) => All.FirstOrDefault(a => a.IsPart(part));
}
