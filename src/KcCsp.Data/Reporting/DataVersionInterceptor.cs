using System.Data.Common;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

/// <summary>
/// Gives <see cref="DataVersion"/> a new stamp whenever a save adds, changes or removes anything a report reads
/// (imports, rollbacks, figures, targets, measures, populations, mappings, actions and their updates), in the same
/// transaction as the change, so the stamp and the change commit together: a save on its own stamps in that save; a
/// save inside an explicit transaction (an import, a rollback) stamps just before that transaction commits, so the
/// stamp's row is locked only for a moment, never for a whole import. After the commit this instance re-reads the
/// stamp at once; other instances see it within <see cref="ReportVersion"/>'s check interval.
/// </summary>
public sealed class DataVersionInterceptor(ReportVersion version, TimeProvider clock) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The records reports are computed from. Users, tokens, the audit trail and job state are not among them.</summary>
    public static readonly IReadOnlySet<Type> ReportInputs = new HashSet<Type>
    {
        typeof(Plan), typeof(Priority), typeof(PriorityReview), typeof(Measure), typeof(Target), typeof(Area), typeof(Population),
        typeof(Figure), typeof(PlanAction), typeof(ActionUpdate), typeof(CrimeCategory), typeof(CategoryAlias), typeof(MeasureCategory),
        typeof(CrimeImport), typeof(ImportCoverage), typeof(MeasureMonthValue), typeof(ImportAlias),
    };

    /// <summary>Users and their roles and claims: a change renews the user's security stamp and ends kept pages of their sessions.</summary>
    public static readonly IReadOnlySet<Type> SessionInputs = new HashSet<Type>
    {
        typeof(PortalUser), typeof(Microsoft.AspNetCore.Identity.IdentityUserRole<string>), typeof(Microsoft.AspNetCore.Identity.IdentityUserClaim<string>),
    };

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbTransaction, HashSet<int>> pendingRows = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && Changes(db) is { Count: > 0 } rows)
        {
            if (db.Database.CurrentTransaction is { } tx) pendingRows.GetOrCreateValue(tx.GetDbTransaction()).UnionWith(rows);
            else foreach (var id in rows) await StampAsync(db, id, ct);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && Changes(db) is { Count: > 0 } rows)
        {
            if (db.Database.CurrentTransaction is { } tx) pendingRows.GetOrCreateValue(tx.GetDbTransaction()).UnionWith(rows);
            else foreach (var id in rows) StampAsync(db, id, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        version.Changed();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        version.Changed();
        return result;
    }

    /// <summary>Which stamps the pending changes renew.</summary>
    private static HashSet<int> Changes(DbContext db)
    {
        var rows = new HashSet<int>();
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (ReportInputs.Contains(e.Metadata.ClrType)) rows.Add(DataVersion.Reports);
            if (SessionInputs.Contains(e.Metadata.ClrType)) rows.Add(DataVersion.Sessions);
        }
        return rows;
    }

    // A new random stamp, not a counter: two instances saving at once can never both write "the next number".
    private async Task StampAsync(DbContext db, int id, CancellationToken ct)
    {
        var row = await db.Set<DataVersion>().FindAsync([id], ct);
        if (row is null)
        {
            row = new DataVersion { Id = id };
            db.Set<DataVersion>().Add(row);
        }
        row.Stamp = Guid.NewGuid();
        row.ChangedAt = clock.GetUtcNow();
    }

    private async Task StampAtCommitAsync(DbContext db, HashSet<int> rows, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(DataVersion))!;
        var sql = db.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName());
        // The row exists from the first migration (HasData), so an UPDATE is enough. The names are the model's own,
        // delimited by the provider; the values are parameters.
        var statement = "UPDATE " + sql.DelimitIdentifier(entity.GetTableName()!) + " SET " + Column(nameof(DataVersion.Stamp)) + " = {0}, "
            + Column(nameof(DataVersion.ChangedAt)) + " = {1} WHERE " + Column(nameof(DataVersion.Id)) + " = {2}";
        foreach (var id in rows) await db.Database.ExecuteSqlRawAsync(statement, [Guid.NewGuid(), clock.GetUtcNow(), id], ct);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (pendingRows.TryGetValue(transaction, out var rows) && pendingRows.Remove(transaction) && eventData.Context is { } db)
            StampAtCommitAsync(db, rows, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken ct = default)
    {
        if (pendingRows.TryGetValue(transaction, out var rows) && pendingRows.Remove(transaction) && eventData.Context is { } db)
            await StampAtCommitAsync(db, rows, ct);
        return result;
    }

    // A save inside an explicit transaction is only visible after the commit: re-read the stamp then too.
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => version.Changed();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        version.Changed();
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        pendingRows.Remove(transaction);
        version.Changed();
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        pendingRows.Remove(transaction);
        version.Changed();
        return Task.CompletedTask;
    }
}

/// <summary>The stamps kept copies are made from: <see cref="Reports"/> for reports, both for a session's kept pages.</summary>
public readonly record struct DataStamps(Guid Reports, Guid Sessions);

/// <summary>
/// The stamps this instance's kept reports and pages were made from. They are read from the database (one query) at
/// most once per <c>Reports:StampCheckSeconds</c> (default 1), and at once after this instance saved a change.
/// </summary>
public sealed class ReportVersion(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan checkInterval)
{
    private readonly Lock gate = new();
    private DataStamps stamps;
    private long readAt;
    private long seenGeneration = -1;
    private long generation;

    /// <summary>Something this instance saved may have changed a stamp.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

    public async Task<DataStamps> CurrentAsync(CancellationToken ct = default)
    {
        var now = clock.GetTimestamp();
        var seen = Interlocked.Read(ref generation);
        lock (gate)
        {
            if (seenGeneration == seen && clock.GetElapsedTime(readAt, now) < checkInterval) return stamps;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var rows = await db.DataVersions.AsNoTracking().Select(v => new { v.Id, v.Stamp }).ToListAsync(ct);
        var fresh = new DataStamps(
            rows.FirstOrDefault(r => r.Id == DataVersion.Reports)?.Stamp ?? Guid.Empty,
            rows.FirstOrDefault(r => r.Id == DataVersion.Sessions)?.Stamp ?? Guid.Empty);
        lock (gate)
        {
            stamps = fresh;
            readAt = now;
            seenGeneration = seen;
        }
        return fresh;
    }
}
