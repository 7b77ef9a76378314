using System.Data.Common;
using System.Net;
using System.Text;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Planning;
using KcCsp.Data.Reporting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// What a board meeting's morning costs the database (issue 19): many readers after a change wait on one report build;
/// an upload's audit is a fixed number of queries whatever its size; the API's one-measure answers read that measure's
/// rows only.
/// </summary>
public sealed class MorningLoadTests : IAsyncLifetime
{
    private readonly PortalFactory root = new();
    private readonly SqlCounter counter = new();
    private WebApplicationFactory<Program> factory = null!;

    public async ValueTask InitializeAsync()
    {
        await ReportFixture.ImportAsync(root);
        factory = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<KcCspDbContext>(o => o.AddInterceptors(counter))));
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        await root.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_readers_after_a_change_wait_on_one_build_of_the_report()
    {
        var ct = TestContext.Current.CancellationToken;
        var builds = factory.Services.GetRequiredService<ReportBuilds>();
        using (var scope = factory.Services.CreateScope())
        {
            var period = await scope.ServiceProvider.GetRequiredService<ReportingPeriods>().ResolveAsync("2009/10", 1, ct);
            await scope.ServiceProvider.GetRequiredService<ReportService>().HomeReportAsync(period, ct);
        }
        await ChangeSomethingAsync();
        var before = builds.Builds;
        counter.Reset();

        // 20 readers at once, each in a request scope of its own, as 20 requests would be.
        using var start = new ManualResetEventSlim();
        var readers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait(ct);
            await using var scope = factory.Services.CreateAsyncScope();
            var period = await scope.ServiceProvider.GetRequiredService<ReportingPeriods>().ResolveAsync("2009/10", 1, ct);
            return await scope.ServiceProvider.GetRequiredService<ReportService>().HomeReportAsync(period, ct);
        }, ct)).ToList();
        start.Set();
        var reports = await Task.WhenAll(readers);

        (builds.Builds - before).Should().Be(1, "every reader waited on the one build");
        reports.Select(r => r.DataStamp).Distinct().Should().ContainSingle();
        reports.Should().OnlyContain(r => ReferenceEquals(r, reports[0]), "all were given the same report");
        counter.Commands(sql => sql.Contains("ActionUpdates", StringComparison.Ordinal)).Should().Be(1, "the report's loader ran once");
    }

    [Fact]
    public async Task A_failed_build_is_not_kept_and_the_next_reader_builds_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var builds = factory.Services.GetRequiredService<ReportBuilds>();
        var key = ("test", Guid.NewGuid());
        var failing = () => builds.GetAsync(key, (_, _) => throw new InvalidOperationException("the database went away"), ct);
        await failing.Should().ThrowAsync<InvalidOperationException>();
        var report = new PlanReport
        {
            Plan = new ReportPlan("t", "p", "y", "", ""), Area = new ReportArea(1, "a", null, false), Period = null!, ChoosableYears = [],
            Priorities = [], PartnershipMeasures = [], Today = default, DataStamp = Guid.Empty,
        };
        (await builds.GetAsync(key, (_, _) => Task.FromResult(report), ct)).Should().BeSameAs(report);
    }

    [Fact]
    public async Task Saving_n_manual_figures_costs_the_same_number_of_queries_for_5_and_50()
    {
        var five = await UploadAsync(5, 0);
        var fifty = await UploadAsync(50, 0);
        // Queries, not writes: SQLite sends one INSERT per row (its provider does not batch); PostgreSQL and SQL Server batch them.
        fifty.Should().Be(five, "an upload of 50 figures costs {0} queries, one of 5 costs {1}: audit snapshots and look-ups are set-based", fifty, five);
        // Replacing them (every figure has a "before" to snapshot) costs no more per figure either.
        var fiveAgain = await UploadAsync(5, 1);
        var fiftyAgain = await UploadAsync(50, 1);
        fiftyAgain.Should().Be(fiveAgain);
        TestContext.Current.TestOutputHelper?.WriteLine($"upload: {five} queries for 5 and 50 new figures; {fiveAgain} for 5 and 50 replaced");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.AuditEntries.CountAsync(e => e.Entity == "Figure", TestContext.Current.CancellationToken)).Should().Be(5 + 50 + 5 + 50, "one entry per figure saved");
        var replaced = await db.AuditEntries.Where(e => e.Entity == "Figure" && e.Action == "updated").ToListAsync(TestContext.Current.CancellationToken);
        replaced.Should().HaveCount(55).And.OnlyContain(e => e.Before != null && e.After != null && e.Before != e.After);
    }

    /// <summary>Uploads n figures of street drinking (areas × months; a different measure per size so none clash).</summary>
    private async Task<int> UploadAsync(int n, int pass)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var areas = await db.Areas.AsNoTracking().Where(a => a.InLondonRanking).OrderBy(a => a.Id).Select(a => a.Name).Take(10).ToListAsync(ct);
        var measure = n == 5 ? "domestic-violence" : "street-drinking";
        var csv = new StringBuilder("measure,area,period,value\n");
        for (var i = 0; i < n; i++) csv.Append($"{measure},{areas[i % areas.Count]},2010-{4 + i / areas.Count:00},{10 + i + pass}\n");
        var service = scope.ServiceProvider.GetRequiredService<ManualFigureService>();
        counter.Reset();
        var result = await service.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "figures.csv", "analyst@kccsp.local", ct);
        var count = counter.Queries;
        result.Problems.Should().BeEmpty();
        (result.Added + result.Replaced).Should().Be(n);
        return count;
    }

    public static TheoryData<string> OneMeasureAnswers =>
    [
        "/api/measures/serious-acquisitive-crime/comparison?area=Kensington and Chelsea&year=2009/10&toMonth=1",
        "/api/measures/serious-acquisitive-crime/rolling-12?area=Kensington and Chelsea&to=2010-01",
    ];

    [Theory]
    [MemberData(nameof(OneMeasureAnswers))]
    public async Task The_api_reads_the_rows_of_the_asked_measure_not_of_every_measure(string url)
    {
        var client = await SignedInAsync();
        var (commands, rows) = await ReadAsync(client, url);

        // Six more count measures, each with a value for every borough and month: a whole report would read them all.
        await AddMeasuresWithValuesAsync(6);
        var (commandsAfter, rowsAfter) = await ReadAsync(client, url);

        rows.Should().BeGreaterThan(100, "the counter sees the rows of the asked measure (every borough's months)");
        rowsAfter.Should().Be(rows, "{0} read {1} rows before and {2} after adding 6 measures with values", url, rows, rowsAfter);
        commandsAfter.Should().Be(commands);
        TestContext.Current.TestOutputHelper?.WriteLine($"{url}: {commands} commands, {rows} rows, before and after adding 6 measures");
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = factory.CreateClient();
        var response = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = PortalFactory.DemoEmail("Board"), ["Password"] = PortalFactory.DemoPassword });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return client;
    }

    /// <summary>The second of two requests: the first after a change re-reads the session's security stamp; later ones do not.</summary>
    private async Task<(int Commands, long Rows)> ReadAsync(HttpClient client, string url)
    {
        (await client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        counter.Reset();
        var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (counter.Count, counter.Rows);
    }

    private async Task ChangeSomethingAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.Targets.FirstAsync()).AsPrinted += " ";
        await db.SaveChangesAsync();
    }

    private async Task AddMeasuresWithValuesAsync(int n)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var sac = await db.Measures.SingleAsync(m => m.Code == "serious-acquisitive-crime");
        var values = await db.MeasureMonthValues.AsNoTracking().Where(v => v.MeasureId == sac.Id).ToListAsync();
        for (var i = 0; i < n; i++)
        {
            var measure = new Measure { PlanId = sac.PlanId, Code = $"extra-count-{i}", Name = $"Extra count {i}", Unit = MeasureUnit.Count, PriorityId = sac.PriorityId, SortOrder = 100 + i };
            db.Measures.Add(measure);
            await db.SaveChangesAsync();
            db.MeasureMonthValues.AddRange(values.Select(v => new MeasureMonthValue { MeasureId = measure.Id, AreaId = v.AreaId, Month = v.Month, Value = v.Value + i, ImportId = v.ImportId }));
            db.Targets.Add(new Target { MeasureId = measure.Id, FinancialYear = new Domain.FinancialYear(2009), Form = Domain.TargetForm.ChangeAgainstPreviousYear, Value = -5, AsPrinted = "-5%", Set = "test" });
        }
        await db.SaveChangesAsync();
    }
}

/// <summary>Counts the SQL commands EF Core sends (with their text) and the rows read back.</summary>
public sealed class SqlCounter : DbCommandInterceptor
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> texts = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Sql, int Rows)> reads = new();
    private long rows;

    /// <summary>The commands that read (not INSERT, UPDATE or DELETE).</summary>
    public int Queries => texts.Count(sql => !IsWrite(sql));

    /// <summary>Every reader's command with the rows read from it.</summary>
    public IReadOnlyList<(string Sql, int Rows)> Reads => reads.ToList();

    private static bool IsWrite(string sql) => sql.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
        || sql.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || sql.TrimStart().StartsWith("DELETE", StringComparison.OrdinalIgnoreCase);

    public int Count => texts.Count;
    public long Rows => Interlocked.Read(ref rows);
    public int Commands(Func<string, bool> which) => texts.Count(which);

    public void Reset()
    {
        texts.Clear();
        reads.Clear();
        Interlocked.Exchange(ref rows, 0);
    }

    private void Note(DbCommand command) => texts.Enqueue(command.CommandText);

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Interlocked.Add(ref rows, eventData.ReadCount);
        reads.Enqueue((command.CommandText, eventData.ReadCount));
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Note(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Note(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Note(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
    {
        Note(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Note(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Note(command);
        return ValueTask.FromResult(result);
    }
}

/// <summary>
/// On PostgreSQL, the production database, an upload's inserts are batched too: 5 and 50 figures cost the same number of
/// SQL commands in all, reads and writes.
/// </summary>
public sealed class UploadCommandsOnPostgresTests
{
    [Fact]
    public async Task Saving_n_manual_figures_sends_the_same_number_of_commands_for_5_and_50()
    {
        var ct = TestContext.Current.CancellationToken;
        var counter = new SqlCounter();
        await using var root = new PortalFactory(TestEnvironment.PostgresConnectionString());
        await using var factory = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<KcCspDbContext>(o => o.AddInterceptors(counter))));
        async Task<int> UploadAsync(int n, string measure)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var areas = await db.Areas.AsNoTracking().Where(a => a.InLondonRanking).OrderBy(a => a.Id).Select(a => a.Name).Take(10).ToListAsync(ct);
            var csv = new StringBuilder("measure,area,period,value\n");
            for (var i = 0; i < n; i++) csv.Append($"{measure},{areas[i % areas.Count]},2010-{4 + i / areas.Count:00},{10 + i}\n");
            counter.Reset();
            var result = await scope.ServiceProvider.GetRequiredService<ManualFigureService>()
                .UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "figures.csv", "analyst@kccsp.local", ct);
            result.Problems.Should().BeEmpty();
            return counter.Count;
        }
        var five = await UploadAsync(5, "domestic-violence");
        var fifty = await UploadAsync(50, "street-drinking");
        fifty.Should().Be(five, "50 figures cost {0} commands and 5 cost {1}", fifty, five);
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL: {five} commands for 5 and for 50 figures");
    }
}
