using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features.Importing;

/// <summary>Settings under "Import": when the nightly job runs and where it looks.</summary>
public sealed class NightlyImportOptions
{
    /// <summary>Cron expression in <see cref="TimeZone"/>; default 02:00 every night.</summary>
    public string NightlyCron { get; set; } = "0 2 * * *";
    public string TimeZone { get; set; } = "Europe/London";
    /// <summary>
    /// Folder analysts (or a scheduled download) drop extracts into; a file being imported is in processing/, imported
    /// files move to processed/, refused ones to failed/.
    /// </summary>
    public string? Inbox { get; set; }
    /// <summary>Address of an extract to download each night (conditional GET: unchanged content is skipped).</summary>
    public string? Url { get; set; }
}

/// <summary>
/// The nightly import: new files from the inbox, then the configured download address. Each run is recorded
/// (NightlyImportRun) and shown on the Imports page; each file it loads is an import like an upload.
/// </summary>
public sealed class NightlyImport(KcCspDbContext db, CrimeImporter importer, IHttpClientFactory http, IOptions<NightlyImportOptions> options,
    TimeProvider clock, ILogger<NightlyImport> logger)
{
    public const string JobId = "nightly-crime-import";
    private const string Who = "nightly import";

    [DisableConcurrentExecution(timeoutInSeconds: 60 * 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<NightlyImportRun> RunAsync(CancellationToken ct)
    {
        var run = new NightlyImportRun { StartedAt = clock.GetUtcNow(), Succeeded = true };
        var log = new List<string>();
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.Inbox)) await ImportInboxAsync(settings.Inbox, log, run, ct);
        if (!string.IsNullOrWhiteSpace(settings.Url)) await ImportUrlAsync(settings.Url, log, run, ct);
        if (log.Count == 0) log.Add("Nothing configured: set Import:Inbox and/or Import:Url.");
        run.FinishedAt = clock.GetUtcNow();
        run.Log = string.Join('\n', log);
        db.NightlyImportRuns.Add(run);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Nightly import run {RunId}: {Log}", run.Id, run.Log);
        return run;
    }

    private async Task ImportInboxAsync(string inbox, List<string> log, NightlyImportRun run, CancellationToken ct)
    {
        if (!Directory.Exists(inbox))
        {
            log.Add($"Inbox {inbox} does not exist.");
            run.Succeeded = false;
            return;
        }
        var files = Directory.EnumerateFiles(inbox)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || ExtractTableFiles.IsExcel(f))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) log.Add("Inbox: no new files.");
        foreach (var inboxFile in files)
        {
            var name = Path.GetFileName(inboxFile);
            // Several instances share the inbox: a file is claimed by an atomic rename into processing/, and only the
            // instance whose rename succeeds imports it.
            if (Claim(inboxFile, Path.Combine(inbox, "processing")) is not { } file)
            {
                log.Add($"Inbox {name}: taken by another instance.");
                continue;
            }
            try
            {
                var outcome = await importer.ImportAsync(file, name, Who, ImportTrigger.Nightly, ct);
                if (outcome.Kind == ImportOutcomeKind.Invalid)
                {
                    var moved = Move(file, Path.Combine(inbox, "failed"), name);
                    await File.WriteAllLinesAsync(moved + ".problems.txt",
                        [outcome.Message, .. outcome.Validation!.Problems.Select(p => $"{name}: {p}")], ct);
                    log.Add($"Inbox {name}: refused, moved to failed/ ({outcome.Message})");
                    run.Succeeded = false;
                }
                else
                {
                    Move(file, Path.Combine(inbox, "processed"), name);
                    log.Add($"Inbox {name}: {outcome.Message} Moved to processed/.");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Nightly import of {File} failed", file);
                Move(file, Path.Combine(inbox, "failed"), name);
                log.Add($"Inbox {name}: failed ({e.Message}); nothing was written; moved to failed/.");
                run.Succeeded = false;
            }
        }
    }

    /// <returns>The file's path in <paramref name="folder"/>, or null when another instance moved it first.</returns>
    private static string? Claim(string file, string folder)
    {
        Directory.CreateDirectory(folder);
        // A name of its own in processing/, and a plain rename (overwrite: true is rename(2) on Linux, atomic): of two
        // instances renaming the same file, exactly one succeeds and the other finds the file gone.
        var target = Path.Combine(folder, $"{Guid.NewGuid():N}-{Path.GetFileName(file)}");
        try
        {
            File.Move(file, target, overwrite: true);
            return target;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || e is IOException && !File.Exists(file))
        {
            return null;
        }
    }

    private static string Move(string file, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name);
        if (File.Exists(target)) target = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmss}-{name}");
        File.Move(file, target);
        return target;
    }

    private async Task ImportUrlAsync(string url, List<string> log, NightlyImportRun run, CancellationToken ct)
    {
        var state = await db.ImportSourceStates.SingleOrDefaultAsync(s => s.Url == url, ct);
        if (state is null)
        {
            state = new ImportSourceState { Url = url };
            db.ImportSourceStates.Add(state);
        }
        state.LastCheckedAt = clock.GetUtcNow();
        var temp = Path.Combine(Path.GetTempPath(), $"kccsp-download-{Guid.NewGuid():N}");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (state.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
            if (state.LastModified is { } lm && DateTimeOffset.TryParse(lm, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
                request.Headers.IfModifiedSince = since;
            using var response = await http.CreateClient("nightly-import").SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                state.LastOutcome = "unchanged (304 Not Modified)";
                log.Add($"URL {url}: unchanged (304 Not Modified), skipped.");
                return;
            }
            if (!response.IsSuccessStatusCode)
            {
                state.LastOutcome = $"HTTP {(int)response.StatusCode}";
                log.Add($"URL {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; nothing imported.");
                run.Succeeded = false;
                return;
            }
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                ?? Path.GetFileName(new Uri(url).AbsolutePath);
            if (string.IsNullOrWhiteSpace(name)) name = "download.csv";
            await using (var target = File.Create(temp)) await response.Content.CopyToAsync(target, ct);
            var sha = await CrimeImporter.Sha256Async(temp, ct);
            state.ETag = response.Headers.ETag?.ToString();
            state.LastModified = response.Content.Headers.LastModified?.ToString("R");
            if (sha == state.LastSha256)
            {
                state.LastOutcome = "unchanged content";
                log.Add($"URL {url}: downloaded, same content as last time, skipped.");
                return;
            }
            var outcome = await importer.ImportAsync(temp, name, Who, ImportTrigger.Nightly, ct);
            state.LastOutcome = outcome.Message;
            if (outcome.Kind == ImportOutcomeKind.Invalid)
            {
                log.Add($"URL {url}: refused: {outcome.Message} {string.Join("; ", outcome.Validation!.Problems.Take(5))}");
                run.Succeeded = false;
                state.ETag = null;
                state.LastModified = null;
                return;
            }
            state.LastSha256 = sha;
            log.Add($"URL {url}: {outcome.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            state.LastOutcome = e.Message;
            log.Add($"URL {url}: download failed ({e.Message}); nothing imported.");
            run.Succeeded = false;
        }
        finally
        {
            File.Delete(temp);
            await db.SaveChangesAsync(ct);
        }
    }
}

internal static class ExtractTableFiles
{
    public static bool IsExcel(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);
}

public static class NightlyImportSetup
{
    /// <summary>Hangfire: in-memory storage for the embedded SQLite default, the database's own for PostgreSQL and SQL Server.</summary>
    public static void AddNightlyImport(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<NightlyImportOptions>(builder.Configuration.GetSection("Import"));
        builder.Services.AddHttpClient("nightly-import", c => c.Timeout = TimeSpan.FromMinutes(10));
        builder.Services.AddScoped<NightlyImport>();
        var provider = DatabaseSetup.ProviderFrom(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString(provider.ToString()) ?? "";
        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            switch (provider)
            {
                case DatabaseProvider.PostgreSQL:
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString));
                    break;
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(connectionString);
                    break;
                default:
                    config.UseInMemoryStorage();
                    break;
            }
        });
        builder.Services.AddHangfireServer(o => o.WorkerCount = 1);
    }

    public static void UseNightlyImport(this WebApplication app)
    {
        // The jobs dashboard is for admins: an endpoint like any other, under the Admins policy (Hangfire's own
        // local-requests filter is replaced by the portal's sign-in and roles).
        app.MapHangfireDashboard("/jobs", new DashboardOptions { Authorization = [], AppPath = "/" })
            .RequireAuthorization(KcCsp.Web.Features.People.Policies.Admins);
        // Registered once the host has started: by then the database (and with it Hangfire's storage) exists.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var settings = app.Services.GetRequiredService<IOptions<NightlyImportOptions>>().Value;
            app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<NightlyImport>(NightlyImport.JobId,
                job => job.RunAsync(CancellationToken.None), settings.NightlyCron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone) });
        });
    }
}
