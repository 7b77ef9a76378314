using System.Data.Common;
using System.Net;
using KcCsp.Data;
using KcCsp.Data.Model;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// A report reads everything it needs in a fixed number of SQL commands: adding measures to a priority, or boroughs
/// to the London ranking (with their monthly values and populations), does not add a single command to a priority
/// page or to the board pack. Each request is the first after a change, so nothing is served from a kept report.
/// </summary>
public sealed class QueryCountTests : IAsyncLifetime
{
    private readonly PortalFactory root = new();
    private readonly CommandCounter counter = new();
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        await ReportFixture.ImportAsync(root);
        factory = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<KcCspDbContext>(o => o.AddInterceptors(counter))));
        client = factory.CreateClient();
        var response = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = PortalFactory.DemoEmail("Board"), ["Password"] = PortalFactory.DemoPassword });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        await root.DisposeAsync();
    }

    [Theory]
    [InlineData("/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1")]
    [InlineData("/board-pack?year=2009/10&toMonth=1")]
    [InlineData("/?year=2009/10&toMonth=1")]
    [InlineData("/api/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1")]
    public async Task The_number_of_sql_commands_does_not_grow_with_measures_or_boroughs(string url)
    {
        await ChangeSomethingAsync();
        var before = await CountAsync(url);
        var rowsBefore = await RowsAsync(url);

        await AddMeasuresAsync(6);
        await AddBoroughsAsync(5);
        var after = await CountAsync(url);

        before.Should().BeGreaterThan(3, "the counter sees the report's queries");
        // The board pack's batched reads are 29; after a change the partnership directory (plans and members) is read once more.
        before.Should().BeLessThan(31, "a report is a handful of batched queries, not one per measure or borough");
        after.Should().Be(before, $"{url} read {before} commands before and {after} after adding 6 measures and 5 boroughs");
        if (url.StartsWith("/priorities", StringComparison.Ordinal)) (await RowsAsync(url)).Should().Be(rowsBefore + 6, "the new measures are on the page");

        // Served again without a change, the kept report is used: no more than the per-request checks.
        var again = await CountAsync(url);
        again.Should().BeLessThan(before);
        TestContext.Current.TestOutputHelper?.WriteLine($"{url}: {before} SQL commands computed, {after} after adding measures and boroughs, {again} kept");
    }

    private async Task<int> CountAsync(string url)
    {
        counter.Reset();
        var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, url);
        await response.Content.ReadAsByteArrayAsync();
        return counter.Count;
    }

    private async Task<int> RowsAsync(string url) =>
        System.Text.RegularExpressions.Regex.Matches(await client.GetStringAsync(url), "<tr data-measure=").Count;

    private T Db<T>(Func<KcCspDbContext, T> use)
    {
        using var scope = factory.Services.CreateScope();
        return use(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    private Task ChangeSomethingAsync() => Task.Run(() => Db(db =>
    {
        db.Targets.First().AsPrinted += " ";
        return db.SaveChanges();
    }));

    /// <summary>Rates per 1,000 of serious acquisitive crime: each has a value for every borough, so each is ranked.</summary>
    private Task AddMeasuresAsync(int n) => Task.Run(() => Db(db =>
    {
        var sac = db.Measures.Single(m => m.Code == "serious-acquisitive-crime");
        for (var i = 0; i < n; i++)
        {
            db.Measures.Add(new Measure
            {
                PlanId = sac.PlanId, Code = $"extra-rate-{i}", Name = $"Extra rate {i}", Unit = MeasureUnit.RatePer1000, PriorityId = sac.PriorityId, SortOrder = 100 + i,
                RateOfMeasureId = sac.Id,
            });
        }
        return db.SaveChanges();
    }));

    /// <summary>Boroughs with Westminster's monthly values and populations, ranked with the rest.</summary>
    private Task AddBoroughsAsync(int n) => Task.Run(() => Db(db =>
    {
        var westminster = db.Areas.Single(a => a.Name == "Westminster");
        var values = db.MeasureMonthValues.AsNoTracking().Where(v => v.AreaId == westminster.Id).ToList();
        var populations = db.Populations.AsNoTracking().Where(p => p.AreaId == westminster.Id).ToList();
        for (var i = 0; i < n; i++)
        {
            var area = new Area { Name = $"Extra borough {i}", Code = $"X0900000{i}", Kind = AreaKind.Borough, InLondonRanking = true };
            db.Areas.Add(area);
            db.SaveChanges();
            db.MeasureMonthValues.AddRange(values.Select(v => new MeasureMonthValue { MeasureId = v.MeasureId, AreaId = area.Id, Month = v.Month, Value = v.Value + i, ImportId = v.ImportId }));
            db.Populations.AddRange(populations.Select(p => new Population { AreaId = area.Id, Year = p.Year, Value = p.Value, Source = p.Source }));
        }
        return db.SaveChanges();
    }));

    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int count;
        public int Count => Volatile.Read(ref count);
        public void Reset() => Interlocked.Exchange(ref count, 0);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref count);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            Interlocked.Increment(ref count);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Interlocked.Increment(ref count);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
        {
            Interlocked.Increment(ref count);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Interlocked.Increment(ref count);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            Interlocked.Increment(ref count);
            return ValueTask.FromResult(result);
        }
    }
}
