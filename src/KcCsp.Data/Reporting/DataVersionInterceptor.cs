using System.Data.Common;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

/// <summary>
/// Gives <see cref="DataVersion"/> a new stamp whenever a save adds, changes or removes anything a report reads
/// (imports, rollbacks, figures, targets, measures, populations, mappings, actions and their updates), inside the
/// same SaveChanges, so the stamp and the change commit together. After the commit, this instance re-reads the stamp
/// at once; other instances see it within <see cref="ReportVersion"/>'s check interval.
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

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && Changes(db)) await StampAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && Changes(db)) StampAsync(db, CancellationToken.None).GetAwaiter().GetResult();
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

    private static bool Changes(DbContext db) =>
        db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && ReportInputs.Contains(e.Metadata.ClrType));

    private async Task StampAsync(DbContext db, CancellationToken ct)
    {
        var row = await db.Set<DataVersion>().FindAsync([DataVersion.SingletonId], ct);
        if (row is null)
        {
            row = new DataVersion { Id = DataVersion.SingletonId };
            db.Set<DataVersion>().Add(row);
        }
        // A new random stamp, not a counter: two instances saving at once can never both write "the next number".
        row.Stamp = Guid.NewGuid();
        row.ChangedAt = clock.GetUtcNow();
    }

    // A save inside an explicit transaction is only visible after the commit: re-read the stamp then too.
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => version.Changed();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        version.Changed();
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => version.Changed();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        version.Changed();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The stamp of the data this instance's kept reports were computed from. It is read from the database at most once per
/// <c>Reports:StampCheckSeconds</c> (default 1), and at once after this instance saved a change.
/// </summary>
public sealed class ReportVersion(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan checkInterval)
{
    private readonly Lock gate = new();
    private Guid stamp;
    private long readAt;
    private long seenGeneration = -1;
    private long generation;

    /// <summary>Something this instance saved may have changed the stamp.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

    public async Task<Guid> CurrentAsync(CancellationToken ct = default)
    {
        var now = clock.GetTimestamp();
        var seen = Interlocked.Read(ref generation);
        lock (gate)
        {
            if (seenGeneration == seen && clock.GetElapsedTime(readAt, now) < checkInterval) return stamp;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var fresh = await db.DataVersions.AsNoTracking().Where(v => v.Id == DataVersion.SingletonId).Select(v => v.Stamp).FirstOrDefaultAsync(ct);
        lock (gate)
        {
            stamp = fresh;
            readAt = now;
            seenGeneration = seen;
        }
        return fresh;
    }
}
