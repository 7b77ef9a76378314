using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
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
    /// <summary>Plain http:// addresses are refused unless this is set (a download over http can be altered on the way).</summary>
    public bool AllowHttp { get; set; }
    /// <summary>A download larger than this is abandoned (the upload's own limit by default).</summary>
    public long MaxDownloadBytes { get; set; } = ImportPages.MaxUploadBytes;
    /// <summary>The whole download — connection, redirects, headers, body — must finish within this many seconds.</summary>
    public int DownloadDeadlineSeconds { get; set; } = 600;
    /// <summary>Redirects followed (to the same host only).</summary>
    public int MaxRedirects { get; set; } = 5;
    /// <summary>An inbox file is imported only when its size and time are the same at two looks this many seconds apart
    /// (a file still being copied in is left for the next run).</summary>
    public double InboxSettleSeconds { get; set; } = 10;
}

/// <summary>
/// The nightly import: new files from the inbox, then the configured download address. Each run is recorded
/// (NightlyImportRun) and shown on the Imports page; each file it loads is an import like an upload.
/// </summary>
public sealed class NightlyImport(NightlyImportRecords records, CrimeImporter importer, IHttpClientFactory http, IOptions<NightlyImportOptions> options,
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
        if (!string.IsNullOrWhiteSpace(settings.Url)) await ImportUrlAsync(settings.Url.Trim(), log, run, ct);
        if (log.Count == 0) log.Add("Nothing configured: set Import:Inbox and/or Import:Url.");
        run.FinishedAt = clock.GetUtcNow();
        run.Log = string.Join('\n', log);
        await records.RecordRunAsync(run, ct);
        logger.LogInformation("Nightly import run {RunId}: {Log}", run.Id, run.Log);
        // Run logs name the download address only as DownloadAddress.Redact shows it.
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
        var files = await SettledFilesAsync(inbox, log, ct);
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
                    // Locations and short messages only: every value a message quotes is cut to a few characters, so the
                    // report never carries more of the file than its header.
                    await File.WriteAllLinesAsync(moved + ".problems.txt",
                        [outcome.Message, .. outcome.Validation!.Problems.Take(ReportedProblems).Select(p => Cut($"{name}: {p}", 400)),
                         .. outcome.Validation.ProblemCount > ReportedProblems ? [$"… and {outcome.Validation.ProblemCount - ReportedProblems} more."] : Array.Empty<string>()], ct);
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
                log.Add($"Inbox {name}: failed ({Cut(e.Message, 300)}); nothing was written; moved to failed/.");
                run.Succeeded = false;
            }
        }
    }

    private const int ReportedProblems = 50;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>
    /// The inbox's extracts that are safe to read now: regular files only (no symbolic links, FIFOs or devices, which
    /// could point anywhere or block the job), with an extract's name, and whose size and time did not change between
    /// two looks <see cref="NightlyImportOptions.InboxSettleSeconds"/> apart (a file still being copied in waits).
    /// </summary>
    private async Task<List<string>> SettledFilesAsync(string inbox, List<string> log, CancellationToken ct)
    {
        Dictionary<string, (long Length, DateTime Written)> Look()
        {
            var found = new Dictionary<string, (long, DateTime)>();
            foreach (var info in new DirectoryInfo(inbox).EnumerateFiles())
            {
                if (!ExtractFiles.IsExtractName(info.Name) || info.Name.EndsWith(".problems.txt", StringComparison.OrdinalIgnoreCase)) continue;
                info.Refresh();
                if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint) || info.Attributes.HasFlag(FileAttributes.Device))
                {
                    found[info.FullName] = (-1, default);
                    continue;
                }
                // A FIFO or device reports size 0, and so does a file not yet written: neither is read.
                found[info.FullName] = (info.Length, info.LastWriteTimeUtc);
            }
            return found;
        }
        var first = Look();
        if (first.Count == 0) return [];
        if (options.Value.InboxSettleSeconds > 0) await Task.Delay(TimeSpan.FromSeconds(options.Value.InboxSettleSeconds), clock, ct);
        var second = Look();
        var ready = new List<string>();
        foreach (var (path, look) in first.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (look.Length < 0) log.Add($"Inbox {name}: not a regular file (a symbolic link?), left where it is.");
            else if (look.Length == 0) log.Add($"Inbox {name}: empty (or not a regular file), left where it is.");
            else if (!second.TryGetValue(path, out var again) || again != look) log.Add($"Inbox {name}: still being written (its size changed), left for the next run.");
            else if (!IsRegularFile(path)) log.Add($"Inbox {name}: not a regular file, left where it is.");
            else ready.Add(path);
        }
        return ready;
    }

    /// <summary>Opened without following a link: a regular file is seekable; a FIFO, socket or device is not.</summary>
    private static bool IsRegularFile(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            return RandomAccess.GetLength(handle) > 0 && new FileInfo(path).LinkTarget is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
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

    private string Move(string file, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name);
        if (File.Exists(target)) target = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{name}");
        File.Move(file, target);
        return target;
    }

    private async Task ImportUrlAsync(string url, List<string> log, NightlyImportRun run, CancellationToken ct)
    {
        var settings = options.Value;
        var shown = DownloadAddress.Redact(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            log.Add($"URL {shown}: not an http(s) address; nothing downloaded.");
            run.Succeeded = false;
            return;
        }
        if (address.Scheme == Uri.UriSchemeHttp && !settings.AllowHttp)
        {
            log.Add($"URL {shown}: plain http is refused (set Import:AllowHttp to allow it); nothing downloaded.");
            run.Succeeded = false;
            return;
        }
        // The state is keyed by the address as shown: credentials never reach the database.
        var state = await records.SourceStateAsync(shown, ct);
        state.LastCheckedAt = clock.GetUtcNow();
        var temp = Path.Combine(Path.GetTempPath(), $"kccsp-download-{Guid.NewGuid():N}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.DownloadDeadlineSeconds));
        try
        {
            var client = http.CreateClient(HttpClientName);
            HttpResponseMessage response;
            var current = address;
            var redirects = 0;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                if (state.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
                if (state.LastModified is { } lm && DateTimeOffset.TryParse(lm, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
                    request.Headers.IfModifiedSince = since;
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if ((int)response.StatusCode is not (>= 300 and < 400) || response.StatusCode == HttpStatusCode.NotModified) break;
                var location = response.Headers.Location;
                response.Dispose();
                if (location is null) throw new DownloadRefusedException("a redirect without a Location");
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (++redirects > settings.MaxRedirects) throw new DownloadRefusedException($"more than {settings.MaxRedirects} redirects");
                if (!string.Equals(next.Host, address.Host, StringComparison.OrdinalIgnoreCase))
                    throw new DownloadRefusedException($"a redirect to another host ({next.Host}); only redirects to {address.Host} are followed");
                if (next.Scheme != Uri.UriSchemeHttps && !(next.Scheme == Uri.UriSchemeHttp && settings.AllowHttp))
                    throw new DownloadRefusedException($"a redirect to a {next.Scheme} address");
                current = next;
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    state.LastOutcome = "unchanged (304 Not Modified)";
                    log.Add($"URL {shown}: unchanged (304 Not Modified), skipped.");
                    return;
                }
                if (!response.IsSuccessStatusCode)
                {
                    state.LastOutcome = $"HTTP {(int)response.StatusCode}";
                    log.Add($"URL {shown}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; nothing imported.");
                    run.Succeeded = false;
                    return;
                }
                if (response.Content.Headers.ContentLength > settings.MaxDownloadBytes)
                    throw new DownloadRefusedException($"it is {response.Content.Headers.ContentLength:N0} bytes, more than the {settings.MaxDownloadBytes:N0} accepted (Import:MaxDownloadBytes)");
                var name = Path.GetFileName(response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                    ?? Path.GetFileName(current.AbsolutePath));
                if (string.IsNullOrWhiteSpace(name) || name.Length > 200) name = "download.csv";
                // The SHA-256 is taken from the bytes as they arrive, so the file is not read again to learn whether it changed.
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                await using (var body = await response.Content.ReadAsStreamAsync(deadline.Token))
                await using (var target = File.Create(temp))
                {
                    var buffer = new byte[1 << 16];
                    long total = 0;
                    int n;
                    while ((n = await body.ReadAsync(buffer, deadline.Token)) > 0)
                    {
                        total += n;
                        if (total > settings.MaxDownloadBytes)
                            throw new DownloadRefusedException($"it is more than the {settings.MaxDownloadBytes:N0} bytes accepted (Import:MaxDownloadBytes)");
                        hash.AppendData(buffer, 0, n);
                        await target.WriteAsync(buffer.AsMemory(0, n), deadline.Token);
                    }
                }
                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                state.ETag = response.Headers.ETag?.ToString();
                state.LastModified = response.Content.Headers.LastModified?.ToString("R");
                if (sha == state.LastSha256)
                {
                    state.LastOutcome = "unchanged content";
                    log.Add($"URL {shown}: downloaded, same content as last time, skipped.");
                    return;
                }
                var outcome = await importer.ImportAsync(temp, name, Who, ImportTrigger.Nightly, ct);
                state.LastOutcome = outcome.Message;
                if (outcome.Kind == ImportOutcomeKind.Invalid)
                {
                    log.Add($"URL {shown}: refused: {outcome.Message} {Cut(string.Join("; ", outcome.Validation!.Problems.Take(5)), 1000)}");
                    run.Succeeded = false;
                    state.ETag = null;
                    state.LastModified = null;
                    return;
                }
                state.LastSha256 = sha;
                log.Add($"URL {shown}: {outcome.Message}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or DownloadRefusedException or IOException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var why = e switch
            {
                DownloadRefusedException => $"refused: {e.Message}",
                OperationCanceledException => $"not finished within {settings.DownloadDeadlineSeconds} s (Import:DownloadDeadlineSeconds)",
                _ => $"failed: {DownloadAddress.RedactText(e.Message, url)}",
            };
            state.LastOutcome = why;
            logger.LogWarning("Nightly download of {Url}: {Why}", shown, why);
            log.Add($"URL {shown}: download {why}; nothing imported.");
            run.Succeeded = false;
        }
        finally
        {
            File.Delete(temp);
            await records.SaveSourceStateAsync(state, ct);
        }
    }

    public const string HttpClientName = "nightly-import";
}

/// <summary>Why a download was abandoned before its content was imported.</summary>
public sealed class DownloadRefusedException(string message) : Exception(message);

/// <summary>A download address as pages and logs may show it: user name, password and secret-looking query values replaced.</summary>
public static class DownloadAddress
{
    private static readonly string[] SecretNames = ["token", "key", "apikey", "api_key", "sig", "signature", "password", "pass", "pwd", "secret", "auth", "access_token", "code", "credential"];

    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "(an address that is not valid)";
        var builder = new UriBuilder(uri);
        if (builder.UserName.Length > 0 || builder.Password.Length > 0)
        {
            builder.UserName = "***";
            builder.Password = "";
        }
        if (builder.Query.Length > 1)
        {
            var parts = builder.Query.TrimStart('?').Split('&').Select(p =>
            {
                var eq = p.IndexOf('=');
                var name = eq < 0 ? p : p[..eq];
                return eq >= 0 && SecretNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)) ? name + "=***" : p;
            });
            builder.Query = string.Join('&', parts);
        }
        return builder.Uri.IsDefaultPort ? builder.Uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Port, UriFormat.UriEscaped) : builder.Uri.AbsoluteUri;
    }

    /// <summary>A message that may quote the address (or its credentials): each replaced by the redacted address.</summary>
    public static string RedactText(string text, string url)
    {
        var redacted = text.Replace(url, Redact(url), StringComparison.OrdinalIgnoreCase);
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            redacted = redacted.Replace(uri.UserInfo, "***", StringComparison.Ordinal);
        return redacted;
    }
}

public static class NightlyImportSetup
{
    /// <summary>Hangfire: in-memory storage for the embedded SQLite default, the database's own for PostgreSQL and SQL Server.</summary>
    public static void AddNightlyImport(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<NightlyImportOptions>(builder.Configuration.GetSection("Import"));
        // Redirects are followed by the job itself (same host only); the job's own deadline bounds the whole download.
        builder.Services.AddHttpClient(NightlyImport.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) });
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
        // Jobs are made from this host's own services. Hangfire's default activator is the process-wide
        // JobActivator.Current, which the last host to start sets: with several hosts in one process (the tests'
        // portal instances) a job could be built from another host's, possibly disposed, container.
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
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
