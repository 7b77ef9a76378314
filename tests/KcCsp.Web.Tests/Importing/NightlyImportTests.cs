using Hangfire;
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

    /// <summary>Everything the job logs, formatted as a log sink would write it.</summary>
    private readonly CapturingLogger log = new();

    private sealed class CapturingLogger : ILogger<NightlyImport>
    {
        public readonly System.Collections.Concurrent.ConcurrentQueue<string> Lines = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }

    private async Task<Data.Model.NightlyImportRun> RunAsync(NightlyImportOptions options)
    {
        using var scope = factory.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var job = new NightlyImport(sp.GetRequiredService<NightlyImportRecords>(), sp.GetRequiredService<CrimeImporter>(), sp.GetRequiredService<IHttpClientFactory>(),
            Options.Create(options), TimeProvider.System, log);
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

        var run = await RunAsync(new NightlyImportOptions { Inbox = inbox, InboxSettleSeconds = 0.2 });

        run.Succeeded.Should().BeFalse("one file was refused");
        File.Exists(Path.Combine(inbox, "processed", "good.csv")).Should().BeTrue();
        File.Exists(Path.Combine(inbox, "failed", "bad.csv")).Should().BeTrue();
        (await File.ReadAllTextAsync(Path.Combine(inbox, "failed", "bad.csv.problems.txt"))).Should().Contain("line 2, column 4 (200904)");
        Directory.EnumerateFiles(inbox).Should().BeEmpty();
        (await ImportTests.MeasureAsync(factory, "personal-robbery", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(9);

        var page = await (await factory.SignedInClientAsync("Analyst")).GetStringAsync("/imports");
        page.Should().Contain("good.csv").And.Contain("Nightly").And.Contain("refused, moved to failed/");

        var again = await RunAsync(new NightlyImportOptions { Inbox = inbox, InboxSettleSeconds = 0.2 });
        again.Log.Should().Contain("no new files");
    }

    [Fact]
    public async Task Jobs_are_built_from_their_own_hosts_services_whatever_other_hosts_started_and_stopped()
    {
        // Hangfire keeps a process-wide default activator (JobActivator.Current) that the last host to start sets.
        // Start this portal, then another, and stop the other: this portal's jobs must still come from its own services.
        (await factory.CreateClient().GetAsync("/health/live")).EnsureSuccessStatusCode();
        string otherDatabase;
        await using (var other = new PortalFactory())
        {
            (await other.CreateClient().GetAsync("/health/live")).EnsureSuccessStatusCode();
            otherDatabase = other.ConnectionString;
        }

        var activator = factory.Services.GetRequiredService<JobActivator>();
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var background = new BackgroundJob("probe", Hangfire.Common.Job.FromExpression<NightlyImport>(j => j.RunAsync(CancellationToken.None)), DateTime.UtcNow);
        using var scope = activator.BeginScope(new JobActivatorContext(connection, background, new NeverCancelled()));
        var job = (NightlyImport)scope.Resolve(typeof(NightlyImport));
        job.Should().NotBeNull();
        var db = (KcCspDbContext)scope.Resolve(typeof(KcCspDbContext));
        db.Database.GetConnectionString().Should().Be(factory.ConnectionString).And.NotBe(otherDatabase);

        // And a job enqueued now runs.
        var id = factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<NightlyImport>(j => j.RunAsync(CancellationToken.None));
        var monitor = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        string? state;
        do
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            state = monitor.JobDetails(id)?.History.FirstOrDefault()?.StateName;
        }
        while (state is not ("Succeeded" or "Failed") && DateTime.UtcNow < deadline);
        state.Should().Be("Succeeded", string.Join("; ", monitor.JobDetails(id)?.History.Select(h => h.Reason + " " + string.Join(",", h.Data.Values)) ?? []));
    }

    private sealed class NeverCancelled : IJobCancellationToken
    {
        public CancellationToken ShutdownToken => CancellationToken.None;
        public void ThrowIfCancellationRequested() { }
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
        var options = new NightlyImportOptions { Url = $"{address}/extract.csv", AllowHttp = true };

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
    public async Task The_inbox_takes_only_settled_regular_files_and_its_reports_do_not_echo_the_file()
    {
        (await factory.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode(); // the portal started before the clock matters
        var inbox = Path.Combine(factory.WorkDirectory, "inbox");
        var outside = Path.Combine(factory.WorkDirectory, "outside");
        Directory.CreateDirectory(inbox);
        Directory.CreateDirectory(outside);
        // A symbolic link to a file elsewhere, a FIFO (reading it would block the job), an empty file.
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.csv"), Extract(5));
        File.CreateSymbolicLink(Path.Combine(inbox, "link.csv"), Path.Combine(outside, "secret.csv"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(inbox, "pipe.csv"))) await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        File.Exists(Path.Combine(inbox, "pipe.csv")).Should().BeTrue("mkfifo made the FIFO");
        await File.WriteAllTextAsync(Path.Combine(inbox, "empty.csv"), "");
        // A file still being copied in: it grows between the job's two looks.
        var growing = Path.Combine(inbox, "growing.csv");
        await File.WriteAllTextAsync(growing, "Borough,Major Category,Minor Category,200904\r\n");
        // A refused file with a 200,000-character row: its report carries only short messages.
        await File.WriteAllTextAsync(Path.Combine(inbox, "long-row.csv"), "Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Robbery,Personal Property," + new string('S', 200_000) + "\r\n");

        var settle = new NightlyImportOptions { Inbox = inbox, InboxSettleSeconds = 1.5 };
        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(100);
                await File.AppendAllTextAsync(growing, "Kensington and Chelsea,Robbery,Personal Property,1\r\n".Replace(",1", $",{i}").Replace("Personal Property", $"Type {i}"));
            }
        });
        var run = await RunAsync(settle).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await appending;

        run.Log.Should().Contain("Inbox link.csv: not a regular file").And.Contain("Inbox pipe.csv:").And.Contain("Inbox empty.csv: empty")
            .And.Contain("Inbox growing.csv: still being written").And.Contain("Inbox long-row.csv: refused");
        File.Exists(Path.Combine(inbox, "link.csv")).Should().BeTrue("a link is left where it is");
        File.Exists(Path.Combine(inbox, "growing.csv")).Should().BeTrue("a file being written waits for the next run");
        File.Exists(Path.Combine(outside, "secret.csv")).Should().BeTrue();
        var report = await File.ReadAllTextAsync(Path.Combine(inbox, "failed", "long-row.csv.problems.txt"));
        report.Should().Contain("Line 2 is longer than 100,000 characters");
        report.Length.Should().BeLessThan(1000);
        report.Should().NotContain(new string('S', 41), "a report never echoes more of a file than a short quote");

        // Settled now: the next run imports it.
        var next = await RunAsync(settle);
        next.Log.Should().Contain("Inbox growing.csv: Imported growing.csv");
        using var scope = factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().CrimeImports.CountAsync()).Should().Be(1, "only the settled file was imported; the link's target never was");
    }

    private async Task<(WebApplication Server, string Address)> ServeAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        map(server);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return (server, server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task Downloads_are_https_only_capped_timed_same_host_and_never_show_credentials()
    {
        var (server, address) = await ServeAsync(app =>
        {
            app.MapGet("/extract.csv", () => Results.Text(Extract(8), "text/csv"));
            app.MapGet("/big.csv", () => Results.Text(Extract(8) + new string('\n', 10_000), "text/csv"));
            app.MapGet("/chunked.csv", async (HttpContext c) =>
            {
                c.Response.ContentType = "text/csv";
                for (var i = 0; i < 20; i++)
                {
                    await c.Response.WriteAsync(Extract(8) + new string('\n', 500));
                    await c.Response.Body.FlushAsync();
                }
            });
            app.MapGet("/slow.csv", async () => { await Task.Delay(5000); return Results.Text(Extract(8), "text/csv"); });
            app.MapGet("/same-host", () => Results.Redirect("/extract.csv"));
            app.MapGet("/other-host", (HttpContext c) => Results.Redirect($"http://localhost:{c.Connection.LocalPort}/extract.csv"));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
        });
        await using var _ = server;
        var host = new Uri(address);

        (await RunAsync(new NightlyImportOptions { Url = $"{address}/extract.csv" })).Log.Should().Contain("plain http is refused");
        (await RunAsync(new NightlyImportOptions { Url = "ftp://example.org/x.csv" })).Log.Should().Contain("not an http(s) address");
        (await RunAsync(new NightlyImportOptions { Url = $"{address}/big.csv", AllowHttp = true, MaxDownloadBytes = 1000 })).Log
            .Should().Contain("download refused: it is 10,098 bytes, more than the 1,000 accepted");
        (await RunAsync(new NightlyImportOptions { Url = $"{address}/chunked.csv", AllowHttp = true, MaxDownloadBytes = 1000 })).Log
            .Should().Contain("download refused: it is more than the 1,000 bytes accepted");
        (await RunAsync(new NightlyImportOptions { Url = $"{address}/slow.csv", AllowHttp = true, DownloadDeadlineSeconds = 1 })).Log
            .Should().Contain("not finished within 1 s");
        (await RunAsync(new NightlyImportOptions { Url = $"{address}/other-host", AllowHttp = true })).Log
            .Should().Contain("a redirect to another host (localhost)");
        (await RunAsync(new NightlyImportOptions { Url = $"{address}/loop", AllowHttp = true })).Log.Should().Contain("more than 5 redirects");
        using (var scope = factory.Services.CreateScope())
            (await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().CrimeImports.CountAsync()).Should().Be(0);

        // Credentials in the address: used for the request, shown nowhere.
        var secretUrl = $"http://kc-user:s3cret-pw@{host.Authority}/same-host?token=tok-123&year=2009";
        var run = await RunAsync(new NightlyImportOptions { Url = secretUrl, AllowHttp = true });
        run.Succeeded.Should().BeTrue(run.Log);
        run.Log.Should().Contain("Imported extract.csv").And.Contain($"http://***@{host.Authority}/same-host?token=***&year=2009");
        var page = await (await factory.SignedInClientAsync("Analyst")).GetStringAsync("/imports");
        page.Should().Contain("Imported extract.csv");
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            (await db.ImportSourceStates.Select(s => s.Url).ToListAsync()).Should().AllSatisfy(u => u.Should().NotContain("s3cret").And.NotContain("tok-123"));
        }
        var logs = string.Join("\n", log.Lines);
        logs.Should().Contain("Nightly import run").And.Contain("Nightly download of");
        foreach (var text in new[] { page, logs, run.Log }) text.Should().NotContain("s3cret").And.NotContain("tok-123");
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
