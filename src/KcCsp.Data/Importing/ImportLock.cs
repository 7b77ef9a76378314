using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Importing;

/// <summary>
/// Imports, rollbacks and mapping changes run one at a time: each recomputes stored measure values from "the latest
/// applied import" and two at once could each miss the other's. In process a semaphore; across instances a lock
/// held by the transaction (PostgreSQL advisory lock, SQL Server application lock; SQLite has one writer anyway).
/// </summary>
public sealed class ImportLock
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IDisposable> AcquireAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    public async Task LockDatabaseAsync(KcCspDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(730120100)", ct);
        else if (db.Database.IsSqlServer())
            await db.Database.ExecuteSqlRawAsync("EXEC sp_getapplock @Resource = 'kccsp-crime-import', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = -1", ct);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }
}
