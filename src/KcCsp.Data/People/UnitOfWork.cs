using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.People;

/// <summary>
/// The one way a use case saves a change: <see cref="RunAsync{T}"/> runs the change inside one transaction (through the
/// provider's execution strategy), saves it, adds its audit entries and commits, so the change and its audit entries
/// stand or fall together. Use cases only change entities (they may save part-way themselves, e.g. before a
/// recomputation that reads what they wrote); <see cref="AuditInterceptor"/> writes the entries for audited records
/// (<see cref="AuditedEntities"/>) from the change tracker. An entry that describes an operation rather than a record's
/// change — an import, a rollback, a population load, a user created, locked or given a new password — is added with
/// <see cref="Record"/> inside the same run.
/// </summary>
public sealed class UnitOfWork(KcCspDbContext db, TimeProvider clock, IActor? actor = null)
{
    /// <summary>
    /// Runs <paramref name="change"/> as one audited unit. Nothing is saved when it throws or answers a
    /// <see cref="Result"/> other than done. When the caller already holds a transaction (the importers hold theirs for
    /// their lock and bulk copy), the unit joins it and the caller commits.
    /// </summary>
    /// <param name="who">Who acts; null means the signed-in user (<see cref="IActor"/>), or "cli" where there is none.</param>
    public async Task<T> RunAsync<T>(string? who, Func<CancellationToken, Task<T>> change, CancellationToken ct = default)
    {
        if (db.Audit is not null) throw new InvalidOperationException("A unit of work is already running on this context: make the change inside it.");
        var session = new AuditSession(who ?? actor?.Name ?? "cli");
        if (db.Database.CurrentTransaction is not null) return await RunInsideAsync(session, change, owned: false, ct);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(ct => RunInsideAsync(session, change, owned: true, ct), ct);
    }

    public Task RunAsync(string? who, Func<CancellationToken, Task> change, CancellationToken ct = default) =>
        RunAsync<bool>(who, async c => { await change(c); return true; }, ct);

    /// <summary>
    /// Adds an entry describing an operation (imported, rolled back, loaded, locked...) to the running unit of work; it is
    /// written with the unit's other entries, by the same actor, in the same transaction.
    /// </summary>
    public void Record(string what, string entity, string key, object? before, object? after) =>
        (db.Audit ?? throw new InvalidOperationException("An audit entry is recorded inside UnitOfWork.RunAsync, with the change it describes."))
            .Record(what, entity, key, before, after);

    private async Task<T> RunInsideAsync<T>(AuditSession session, Func<CancellationToken, Task<T>> change, bool owned, CancellationToken ct)
    {
        db.Audit = session;
        var committed = false;
        try
        {
            await using var tx = owned ? await db.Database.BeginTransactionAsync(ct) : null;
            var result = await change(ct);
            if (result is Result { Outcome: not Outcome.Done }) return result;
            await db.SaveChangesAsync(ct);
            await session.FlushAsync(db, clock, ct);
            db.Audit = null;
            await db.SaveChangesAsync(ct);
            if (tx is not null) await tx.CommitAsync(ct);
            committed = true;
            return result;
        }
        finally
        {
            db.Audit = null;
            // A refused or failed change leaves nothing behind in the context for a later save to write.
            if (owned && !committed) db.ChangeTracker.Clear();
        }
    }
}
