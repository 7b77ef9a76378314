using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KcCsp.Data.People;

/// <summary>
/// Writes the audit trail from the change tracker: every save made inside a <see cref="UnitOfWork"/> notes which
/// <see cref="AuditedEntities"/> it adds, changes or removes (or whose parts it changes), with the record as the
/// database held it before that save; when the unit of work finishes, <see cref="AuditSession.FlushAsync"/> adds one
/// <see cref="AuditEntry"/> per record, with the record as it is after, in the same transaction. Saves outside a unit of
/// work (seeding, marking an API token used, failed sign-ins) are not audited.
/// </summary>
public sealed class AuditInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is KcCspDbContext { Audit: { } session } db) await session.NoteChangesAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is KcCspDbContext { Audit: { } session } db) session.NoteChangesAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }
}

/// <summary>What one unit of work will write to the audit trail: noted changes of audited records and recorded operations.</summary>
internal sealed class AuditSession(string who)
{
    private sealed class Change(AuditedEntity kind, object? entity, int? key, string verb, object? before, bool removed, int order)
    {
        public AuditedEntity Kind { get; } = kind;
        public object? Entity { get; } = entity;
        public int? Key { get; } = key;
        public string Verb { get; } = verb;
        public object? Before { get; } = before;
        public bool Removed { get; set; } = removed;
        public int Order { get; } = order;
    }

    private readonly List<Change> changes = [];
    // The noted changes by tracked record and, for a whole noted only through its parts, by kind and key: one look-up each.
    private readonly Dictionary<object, Change> byEntity = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(AuditedEntity Kind, int Key), Change> byKey = [];
    private readonly List<(string What, string Entity, string Key, object? Before, object? After)> operations = [];

    public void Record(string what, string entity, string key, object? before, object? after) => operations.Add((what, entity, key, before, after));

    /// <summary>
    /// Notes the audited records this save touches, with their "before" read in one query per kind of record (not one
    /// per record), whatever their number.
    /// </summary>
    internal async Task NoteChangesAsync(KcCspDbContext db, CancellationToken ct)
    {
        // The audited records this save touches, directly or through one of their parts, each once.
        var touched = new List<(AuditedEntity Kind, EntityEntry? Entry, int? Key, string Verb)>();
        var touchedEntities = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var touchedKeys = new HashSet<(AuditedEntity, int)>();
        // One look at the change tracker (each Entries() call detects changes across every tracked entity again).
        var entries = db.ChangeTracker.Entries().ToList();
        Dictionary<(Type, int), EntityEntry>? wholes = null;
        foreach (var entry in entries.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            if (AuditedEntities.Of(entry.Metadata.ClrType) is { } kind)
            {
                if (kind.Verb(entry) is { } verb && touchedEntities.Add(entry.Entity)) touched.Add((kind, entry, null, verb));
            }
            else if (AuditedEntities.WholeOf(entry.Metadata) is { } whole && WholeKey(entry, whole) is { } wholeKey)
            {
                // A part changed (a member, an owner): its whole is "updated", unless it is itself added or removed.
                wholes ??= WholesByKey(entries);
                var tracked = wholes.GetValueOrDefault((whole.Type, wholeKey));
                if (tracked is not null && touchedEntities.Contains(tracked.Entity)) continue;
                if (tracked is null && touchedKeys.Contains((whole, wholeKey))) continue;
                if (tracked is { State: not EntityState.Unchanged })
                {
                    touchedEntities.Add(tracked.Entity);
                    touched.Add((whole, tracked, null, whole.Verb(tracked) ?? "updated"));
                }
                else
                {
                    if (tracked is not null) touchedEntities.Add(tracked.Entity);
                    else touchedKeys.Add((whole, wholeKey));
                    touched.Add((whole, tracked, wholeKey, "updated"));
                }
            }
        }
        // Records that already exist in key order, then new ones in the order they were added; each noted once per unit.
        var noted = new List<(AuditedEntity Kind, EntityEntry? Entry, int? Key, string Verb, bool Removed)>();
        foreach (var (kind, entry, partKey, verb) in touched.OrderBy(t => t.Entry?.State == EntityState.Added).ThenBy(t => t.Entry is { State: not EntityState.Added } e ? KeyOf(e) : t.Key))
        {
            var removed = entry?.State == EntityState.Deleted;
            var existing = entry is not null ? byEntity.GetValueOrDefault(entry.Entity) : partKey is { } pk ? byKey.GetValueOrDefault((kind, pk)) : null;
            if (existing is not null)
            {
                // Changed again by a later save of the same unit of work: one entry, from the first "before" to the last "after".
                existing.Removed |= removed;
                continue;
            }
            var key = entry is null ? partKey : entry.State == EntityState.Added ? null : KeyOf(entry);
            noted.Add((kind, entry, key, verb, removed));
        }
        var before = await SnapshotsAsync(db, noted.Where(n => n.Key is not null).Select(n => (n.Kind, n.Key!.Value)), ct);
        foreach (var (kind, entry, key, verb, removed) in noted)
        {
            var change = new Change(kind, entry?.Entity, key, verb, key is { } k ? before.GetValueOrDefault((kind, k)) : null, removed, changes.Count);
            changes.Add(change);
            if (entry is not null) byEntity[entry.Entity] = change;
            else if (key is { } pk) byKey[(kind, pk)] = change;
        }
    }

    /// <summary>Adds the audit rows for everything noted and recorded; the caller saves them in the same transaction.</summary>
    internal async Task FlushAsync(KcCspDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var written = changes.OrderBy(c => c.Order)
            .Select(c => (Change: c, Key: c.Entity is not null ? KeyOf(db.Entry(c.Entity)) ?? c.Key : c.Key))
            .Where(c => c.Key is not null).ToList();
        var after = await SnapshotsAsync(db, written.Where(c => !c.Change.Removed).Select(c => (c.Change.Kind, c.Key!.Value)), ct);
        foreach (var (change, key) in written)
        {
            var k = key!.Value;
            db.AuditEntries.Add(AuditTrail.Entry(at, who, change.Verb, change.Kind.Name, k.ToString(System.Globalization.CultureInfo.InvariantCulture), change.Before,
                change.Removed ? null : after.GetValueOrDefault((change.Kind, k))));
        }
        foreach (var (what, entity, key, before, afterOp) in operations)
            db.AuditEntries.Add(AuditTrail.Entry(at, who, what, entity, key, before, afterOp));
        changes.Clear();
        byEntity.Clear();
        byKey.Clear();
        operations.Clear();
    }

    /// <summary>The records' snapshots as the database holds them now: one query per kind of record, not per record.</summary>
    private static async Task<Dictionary<(AuditedEntity Kind, int Key), object>> SnapshotsAsync(KcCspDbContext db, IEnumerable<(AuditedEntity Kind, int Key)> records, CancellationToken ct)
    {
        var found = new Dictionary<(AuditedEntity, int), object>();
        foreach (var kind in records.GroupBy(r => r.Kind))
        {
            var keys = kind.Select(r => r.Key).Distinct().ToList();
            foreach (var (key, snapshot) in await kind.Key.Snapshots(db, keys, ct)) found[(kind.Key, key)] = snapshot;
        }
        return found;
    }

    private static Dictionary<(Type, int), EntityEntry> WholesByKey(List<EntityEntry> entries)
    {
        var wholes = new Dictionary<(Type, int), EntityEntry>();
        foreach (var e in entries)
            if (AuditedEntities.Of(e.Metadata.ClrType) is not null && KeyOf(e) is { } key) wholes.TryAdd((e.Metadata.ClrType, key), e);
        return wholes;
    }

    private static int? KeyOf(EntityEntry e) => e.Metadata.FindPrimaryKey()?.Properties is [var p] && e.Property(p.Name).CurrentValue is int id ? id : null;

    private static int? WholeKey(EntityEntry part, AuditedEntity whole)
    {
        var fk = part.Metadata.GetForeignKeys().FirstOrDefault(f => f.PrincipalEntityType.ClrType == whole.Type);
        if (fk is null || fk.Properties is not [var p]) return null;
        var property = part.Property(p.Name);
        return (part.State == EntityState.Deleted ? property.OriginalValue : property.CurrentValue) as int?;
    }
}
