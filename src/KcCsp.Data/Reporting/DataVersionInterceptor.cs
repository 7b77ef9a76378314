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
        typeof(CrimeImport), typeof(ImportCoverage), typeof(MeasureMonthValue), typeof(ImportAlias), typeof(SmallArea), typeof(SmallAreaPopulation),
        // Which local authority an LSOA lies in decides where police.uk imports count it (read by the next import only,
        // but a lookup loaded is a change of the data a report would be built from).
        typeof(LsoaLookup),
        // A published analysis is shown on the priority pages and in the board pack.
        typeof(AnalysisPublication),
        // Who belongs to which partnership decides which plan a kept page may show.
        typeof(PlanMembership),
    };

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbTransaction, object> pending = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (StampsInThisSave(eventData, out var db)) await StampAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (StampsInThisSave(eventData, out var db)) StampAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    /// <summary>
    /// Whether a save that changes report inputs stamps in the save itself (true: it runs on its own); inside an explicit
    /// transaction the stamp is left for the commit (false).
    /// </summary>
    private bool StampsInThisSave(DbContextEventData eventData, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbContext? db)
    {
        db = eventData.Context;
        if (db is null || !Changes(db)) return false;
        if (db.Database.CurrentTransaction is not { } tx) return true;
        pending.AddOrUpdate(tx.GetDbTransaction(), this);
        return false;
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
        db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && (ReportInputs.Contains(e.Metadata.ClrType) || EndsSessions(e)));

    /// <summary>
    /// A sign-out, a lock, a role change or a removed account: kept report pages belong to sessions (ReportPageCache), so
    /// they must not outlive the session on any instance. Rare beside page views, so every kept page is simply renewed.
    /// </summary>
    private static bool EndsSessions(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry e) => e.Entity switch
    {
        PortalUser when e.State is EntityState.Deleted => true,
        PortalUser => e.Property(nameof(PortalUser.SecurityStamp)).IsModified || e.Property(nameof(PortalUser.LockoutEnd)).IsModified,
        Microsoft.AspNetCore.Identity.IdentityUserRole<string> => true,
        _ => false,
    };

    // A new random stamp, not a counter: two instances saving at once can never both write "the next number".
    private async Task StampAsync(DbContext db, CancellationToken ct)
    {
        var row = await db.Set<DataVersion>().FindAsync([DataVersion.SingletonId], ct);
        if (row is null)
        {
            row = new DataVersion { Id = DataVersion.SingletonId };
            db.Set<DataVersion>().Add(row);
        }
        row.Stamp = Guid.NewGuid();
        row.ChangedAt = clock.GetUtcNow();
    }

    private Task StampAtCommitAsync(DbContext db, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(DataVersion))!;
        var sql = db.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName());
        // The row exists from the first migration (HasData), so an UPDATE is enough. The names are the model's own,
        // delimited by the provider; the values are parameters.
        var statement = "UPDATE " + sql.DelimitIdentifier(entity.GetTableName()!) + " SET " + Column(nameof(DataVersion.Stamp)) + " = {0}, "
            + Column(nameof(DataVersion.ChangedAt)) + " = {1} WHERE " + Column(nameof(DataVersion.Id)) + " = {2}";
        return db.Database.ExecuteSqlRawAsync(statement, [Guid.NewGuid(), clock.GetUtcNow(), DataVersion.SingletonId], ct);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (pending.Remove(transaction) && eventData.Context is { } db) StampAtCommitAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken ct = default)
    {
        if (pending.Remove(transaction) && eventData.Context is { } db) await StampAtCommitAsync(db, ct);
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
        pending.Remove(transaction);
        version.Changed();
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        pending.Remove(transaction);
        version.Changed();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The stamp of the data this instance's kept reports were computed from. It is read from the database at most once per
/// <c>Reports:StampCheckSeconds</c> (default 0: on every request), and at once after this instance saved a change.
/// </summary>
public sealed class ReportVersion(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan checkInterval)
{
    private readonly Lock gate = new();
    private Guid stamp;
    private long readAt;
    private long seenGeneration = -1;
    private long generation;
    private StampQuery? query;

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
        query ??= await StampQuery.CreateAsync(scopes, ct);
        var fresh = await query.ReadAsync(ct);
        lock (gate)
        {
            stamp = fresh;
            readAt = now;
            seenGeneration = seen;
        }
        return fresh;
    }

    /// <summary>
    /// The stamp read as one plain command on a pooled connection of the configured provider: it runs on every report
    /// request, where a DI scope, a DbContext and the provider's connection set-up (SQLite's pragmas) would cost more than
    /// serving the kept page itself. Table and column names come from the EF model, quoted by the provider.
    /// </summary>
    private sealed class StampQuery(System.Data.Common.DbProviderFactory factory, string connectionString, string sql)
    {
        public static async Task<StampQuery> CreateAsync(IServiceScopeFactory scopes, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var entity = db.Model.FindEntityType(typeof(DataVersion))!;
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sqlHelper = db.GetService<ISqlGenerationHelper>();
            string Column(string property) => sqlHelper.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
            var sql = $"SELECT {Column(nameof(DataVersion.Stamp))} FROM {sqlHelper.DelimitIdentifier(table.Name, table.Schema)} " +
                      $"WHERE {Column(nameof(DataVersion.Id))} = {DataVersion.SingletonId}";
            var connection = db.Database.GetDbConnection();
            var factory = System.Data.Common.DbProviderFactories.GetFactory(connection)
                ?? throw new InvalidOperationException($"The database provider {connection.GetType().Name} has no DbProviderFactory.");
            return new StampQuery(factory, db.Database.GetConnectionString()!, sql);
        }

        public async Task<Guid> ReadAsync(CancellationToken ct)
        {
            await using var connection = factory.CreateConnection()!;
            connection.ConnectionString = connectionString;
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(ct) switch
            {
                Guid g => g,
                string text => Guid.Parse(text),
                byte[] bytes => new Guid(bytes),
                null or DBNull => Guid.Empty,
                var other => throw new InvalidOperationException($"The data stamp reads as {other.GetType().Name}, not a GUID."),
            };
        }
    }
}
