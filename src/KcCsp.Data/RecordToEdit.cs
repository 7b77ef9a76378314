using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data;

/// <summary>
/// The one way a form's save finds what it changes: with an id, the record to edit (tracked, or null when there is
/// none, which the use case answers as not found); without one, a new record added to the context.
/// </summary>
public static class RecordToEdit
{
    /// <param name="existing">Where the record is looked for: its set, narrowed (e.g. manual figures only) or with its parts included.</param>
    /// <param name="create">The new record when no id is given; it is added to the context.</param>
    public static async Task<T?> EditOrAddAsync<T>(this DbContext db, int? id, Func<IQueryable<T>, IQueryable<T>> existing, Func<CancellationToken, Task<T>> create, CancellationToken ct)
        where T : class
    {
        if (id is { } key) return await existing(db.Set<T>()).SingleOrDefaultAsync(e => EF.Property<int>(e, "Id") == key, ct);
        var added = await create(ct);
        db.Set<T>().Add(added);
        return added;
    }

    public static Task<T?> EditOrAddAsync<T>(this DbContext db, int? id, Func<IQueryable<T>, IQueryable<T>> existing, Func<T> create, CancellationToken ct)
        where T : class => db.EditOrAddAsync(id, existing, _ => Task.FromResult(create()), ct);

    public static Task<T?> EditOrAddAsync<T>(this DbContext db, int? id, Func<T> create, CancellationToken ct)
        where T : class => db.EditOrAddAsync(id, q => q, _ => Task.FromResult(create()), ct);
}
