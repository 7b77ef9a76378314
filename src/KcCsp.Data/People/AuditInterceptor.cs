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
    private readonly List<(string What, string Entity, string Key, object? Before, object? After)> operations = [];

    public void Record(string what, string entity, string key, object? before, object? after) => operations.Add((what, entity, key, before, after));

    internal async Task NoteChangesAsync(KcCspDbContext db, CancellationToken ct)
    {
        // The audited records this save touches, directly or through one of their parts, each once.
        var touched = new List<(AuditedEntity Kind, EntityEntry? Entry, int? Key, string Verb)>();
        // One look at the change tracker (each Entries() call detects changes across every tracked entity again).
        var entries = db.ChangeTracker.Entries().ToList();
        foreach (var entry in entries.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            if (AuditedEntities.Of(entry.Metadata.ClrType) is { } kind)
            {
                if (kind.Verb(entry) is { } verb && !touched.Any(t => t.Entry?.Entity == entry.Entity)) touched.Add((kind, entry, null, verb));
            }
            else if (AuditedEntities.WholeOf(entry.Metadata) is { } whole && WholeKey(entry, whole) is { } wholeKey)
            {
                // A part changed (a member, an owner): its whole is "updated", unless it is itself added or removed.
                var tracked = entries.FirstOrDefault(e => e.Metadata.ClrType == whole.Type && KeyOf(e) == wholeKey);
                if (tracked is not null && touched.Any(t => t.Entry?.Entity == tracked.Entity)) continue;
                if (tracked is null && touched.Any(t => t.Kind == whole && t.Key == wholeKey)) continue;
                if (tracked is { State: not EntityState.Unchanged }) touched.Add((whole, tracked, null, whole.Verb(tracked) ?? "updated"));
                else touched.Add((whole, tracked, wholeKey, "updated"));
            }
        }
        // Records that already exist in key order, then new ones in the order they were added.
        foreach (var (kind, entry, partKey, verb) in touched.OrderBy(t => t.Entry?.State == EntityState.Added).ThenBy(t => t.Entry is { State: not EntityState.Added } e ? KeyOf(e) : t.Key))
        {
            var removed = entry?.State == EntityState.Deleted;
            var existing = changes.FirstOrDefault(c => c.Kind == kind && (entry is not null ? ReferenceEquals(c.Entity, entry.Entity) : c.Entity is null && c.Key == partKey));
            if (existing is not null)
            {
                // Changed again by a later save of the same unit of work: one entry, from the first "before" to the last "after".
                existing.Removed |= removed;
                continue;
            }
            var key = entry is null ? partKey : entry.State == EntityState.Added ? null : KeyOf(entry);
            var before = key is { } k ? await kind.Snapshot(db, k, ct) : null;
            changes.Add(new Change(kind, entry?.Entity, key, verb, before, removed, changes.Count));
        }
    }

    /// <summary>Adds the audit rows for everything noted and recorded; the caller saves them in the same transaction.</summary>
    internal async Task FlushAsync(KcCspDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        foreach (var change in changes.OrderBy(c => c.Order))
        {
            var key = change.Entity is not null ? KeyOf(db.Entry(change.Entity)) ?? change.Key : change.Key;
            if (key is not { } k) continue;
            var after = change.Removed ? null : await change.Kind.Snapshot(db, k, ct);
            db.AuditEntries.Add(AuditTrail.Entry(at, who, change.Verb, change.Kind.Name, k.ToString(System.Globalization.CultureInfo.InvariantCulture), change.Before, after));
        }
        foreach (var (what, entity, key, before, after) in operations)
            db.AuditEntries.Add(AuditTrail.Entry(at, who, what, entity, key, before, after));
        changes.Clear();
        operations.Clear();
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
