using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Web.Features.Importing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Tests.Importing;

public sealed class NightlyImportTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<Data.Model.NightlyImportRun> RunAsync(NightlyImportOptions options)
    {
        using var scope = factory.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var job = new NightlyImport(sp.GetRequiredService<KcCspDbContext>(), sp.GetRequiredService<CrimeImporter>(), sp.GetRequiredService<IHttpClientFactory>(),
            Options.Create(options), TimeProvider.System, sp.GetRequiredService<ILogger<NightlyImport>>());
        return await job.RunAsync(TestContext.Current.CancellationToken);
    }

    private static string Extract(int kc) =>
        $"Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Robbery,Personal Property,{kc}\r\n";

    [Fact]
    public async Task Imports_new_files_from_the_inbox_and_moves_them()
    {
        var inbox = Path.Combine(factory.WorkDirectory, "inbox");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "good.csv"), Extract(9));
        await File.WriteAllTextAsync(Path.Combine(inbox, "bad.csv"), "Borough,Major Category,Minor Category,200904\nKensington and Chelsea,Robbery,Personal Property,nine\n");

        var run = await RunAsync(new NightlyImportOptions { Inbox = inbox });

        run.Succeeded.Should().BeFalse("one file was refused");
        File.Exists(Path.Combine(inbox, "processed", "good.csv")).Should().BeTrue();
        File.Exists(Path.Combine(inbox, "failed", "bad.csv")).Should().BeTrue();
        (await File.ReadAllTextAsync(Path.Combine(inbox, "failed", "bad.csv.problems.txt"))).Should().Contain("line 2, column 4 (200904)");
        Directory.EnumerateFiles(inbox).Should().BeEmpty();
        (await ImportTests.MeasureAsync(factory, "personal-robbery", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(9);

        var page = await (await factory.SignedInClientAsync("Analyst")).GetStringAsync("/imports");
        page.Should().Contain("good.csv").And.Contain("Nightly").And.Contain("refused, moved to failed/");

        var again = await RunAsync(new NightlyImportOptions { Inbox = inbox });
        again.Log.Should().Contain("no new files");
    }

    [Fact]
    public async Task Two_runs_at_once_on_one_inbox_import_each_file_once()
    {
        // Two instances' nightly jobs over one shared inbox: each file is claimed (renamed into processing/) by one.
        var inbox = Path.Combine(factory.WorkDirectory, "inbox");
        Directory.CreateDirectory(inbox);
        for (var i = 1; i <= 6; i++) await File.WriteAllTextAsync(Path.Combine(inbox, $"extract-{i}.csv"), Extract(i));

        var runs = await Task.WhenAll(RunAsync(new NightlyImportOptions { Inbox = inbox }), RunAsync(new NightlyImportOptions { Inbox = inbox }));

        runs.Should().OnlyContain(r => r.Succeeded);
        var imported = runs.SelectMany(r => r.Log.Split('\n')).Where(l => l.Contains("Moved to processed/", StringComparison.Ordinal)).ToList();
        imported.Should().HaveCount(6, string.Join("\n---\n", runs.Select(r => r.Log)));
        using var scope = factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().CrimeImports.CountAsync()).Should().Be(6);
        Directory.EnumerateFiles(Path.Combine(inbox, "processed")).Select(Path.GetFileName).Should().BeEquivalentTo(Enumerable.Range(1, 6).Select(i => $"extract-{i}.csv"));
        Directory.EnumerateFiles(inbox).Should().BeEmpty();
        Directory.EnumerateFiles(Path.Combine(inbox, "processing")).Should().BeEmpty();
    }

    [Fact]
    public async Task Downloads_from_a_url_and_skips_it_while_unchanged()
    {
        var content = Extract(4);
        var etag = "\"v1\"";
        var requests = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var server = builder.Build();
        server.MapGet("/extract.csv", (HttpContext context) =>
        {
            var conditional = context.Request.Headers.IfNoneMatch.ToString();
            lock (requests) requests.Add(conditional);
            if (conditional == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
            context.Response.Headers.ETag = etag;
            return Results.Text(content, "text/csv");
        });
        await server.StartAsync(TestContext.Current.CancellationToken);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var options = new NightlyImportOptions { Url = $"{address}/extract.csv" };

        var first = await RunAsync(options);
        first.Succeeded.Should().BeTrue(first.Log);
        first.Log.Should().Contain("Imported extract.csv");
        (await ImportTests.MeasureAsync(factory, "personal-robbery", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(4);

        var second = await RunAsync(options);
        second.Log.Should().Contain("unchanged (304 Not Modified)");
        requests.Should().Equal("", etag);

        // A new release at the same address is imported.
        content = Extract(6);
        etag = "\"v2\"";
        var third = await RunAsync(options);
        third.Log.Should().Contain("Imported extract.csv");
        (await ImportTests.MeasureAsync(factory, "personal-robbery", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(6);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(2);
        (await db.NightlyImportRuns.CountAsync()).Should().Be(3);
        await server.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_recurring_job_is_registered_with_the_configured_schedule()
    {
        (await factory.CreateClient().GetAsync("/health/ready")).EnsureSuccessStatusCode();
        using var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);
        var job = jobs.Single(j => j.Id == NightlyImport.JobId);
        job.Cron.Should().Be("0 2 * * *");
        job.TimeZoneId.Should().Be("Europe/London");
        (await (await factory.SignedInClientAsync("Admin")).GetAsync("/jobs")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }
}
