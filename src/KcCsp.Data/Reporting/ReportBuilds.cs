using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Reporting;

/// <summary>
/// One build per report for all who wait: the first request for a report that is not kept starts its build, and every
/// request for the same key (data stamp, day, period) that arrives while it runs waits on that same build instead of
/// reading the database again. The build runs in a DI scope of its own (its own <c>DbContext</c>), so it does not
/// depend on the request that happened to start it, and it is not cancelled when that request is: the others still
/// want it. A finished report is kept in <see cref="IMemoryCache"/> until the data changes; a failed build is not kept,
/// so the next request tries again.
/// </summary>
public sealed class ReportBuilds(IServiceScopeFactory scopes, IMemoryCache cache)
{
    private readonly ConcurrentDictionary<object, Lazy<Task<PlanReport>>> running = new();
    private long builds;

    /// <summary>How many reports this instance has built (not served from the kept copy): what the coalescing saves.</summary>
    public long Builds => Interlocked.Read(ref builds);

    public async Task<PlanReport> GetAsync(object key, Func<ReportService, CancellationToken, Task<PlanReport>> build, CancellationToken ct)
    {
        if (cache.TryGetValue(key, out PlanReport? kept) && kept is not null) return kept;
        var lazy = running.GetOrAdd(key, k => new Lazy<Task<PlanReport>>(() => BuildAndKeepAsync(k, build)));
        return await lazy.Value.WaitAsync(ct);
    }

    private async Task<PlanReport> BuildAndKeepAsync(object key, Func<ReportService, CancellationToken, Task<PlanReport>> build)
    {
        try
        {
            // A build that finished between a waiter's look at the cache and its GetOrAdd has already kept the report.
            if (cache.TryGetValue(key, out PlanReport? kept) && kept is not null) return kept;
            await Task.Yield();
            await using var scope = scopes.CreateAsyncScope();
            Interlocked.Increment(ref builds);
            var report = await build(scope.ServiceProvider.GetRequiredService<ReportService>(), CancellationToken.None);
            cache.Set(key, report, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
            return report;
        }
        finally
        {
            // Kept (or failed): later requests find the kept copy, or start a new build.
            running.TryRemove(key, out _);
        }
    }
}
