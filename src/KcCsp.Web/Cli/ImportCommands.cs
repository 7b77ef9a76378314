using System.CommandLine;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>`import &lt;path&gt; [--json]` and `import-population &lt;path&gt;`.</summary>
internal static class ImportCommands
{
    public static Command Import(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("path") { Description = "An MPS crime extract, CSV or Excel (.xlsx), as published; or police.uk street-level data: a YYYY-MM-<force>-street.csv file, a month's folder or a zip of them." };
        var json = new Option<bool>("--json") { Description = "Print the import report (or the validation report) as JSON." };
        var command = new Command("import", "Import an MPS crime extract or police.uk street-level data: validate it, load it in one transaction, recompute every crime measure of its source.") { path, json };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(path)!;
            var file = CliApp.ResolvePath(given);
            // A folder is a police.uk month's download (YYYY-MM/ with its forces' street files).
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                await stderr.WriteLineAsync($"{given}: no such file (looked for {file}).");
                return 2;
            }
            using var host = buildHost();
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KcCsp.Cli.Import");
            log.LogDebug("import: host built at {Elapsed} ms after process start", SinceStart());
            // The database checks run beside the importer's read of the file (which needs no database).
            var ready = Task.Run(async () =>
            {
                await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
                log.LogDebug("import: database checked at {Elapsed} ms after process start", SinceStart());
            }, ct);
            using var scope = host.Services.CreateScope();
            var importer = scope.ServiceProvider.GetRequiredService<CrimeImporter>();
            log.LogDebug("import: importer ready at {Elapsed} ms after process start", SinceStart());
            var outcome = await importer.ImportAsync(file, Path.GetFileName(Path.TrimEndingDirectorySeparator(file)), $"{Environment.UserName} (command line)", ImportTrigger.CommandLine, ct, ready);
            log.LogDebug("import: importer returned at {Elapsed} ms after process start", SinceStart());
            await ready; // when the file was refused before the database was needed
            log.LogDebug("import: done at {Elapsed} ms after process start; {Allocated} MB allocated, garbage collections {Gen0}/{Gen1}/{Gen2}, {Paused} ms paused",
                SinceStart(), GC.GetTotalAllocatedBytes() >> 20, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), (long)GC.GetTotalPauseDuration().TotalMilliseconds);
            var asJson = parse.GetValue(json);
            if (outcome.Kind == ImportOutcomeKind.Invalid)
            {
                if (asJson) await stdout.WriteLineAsync(JsonSerializer.Serialize(new { outcome = "invalid", message = outcome.Message, validation = outcome.Validation }, CliApp.Json));
                await stderr.WriteLineAsync(outcome.Message);
                foreach (var p in outcome.Validation!.Problems) await stderr.WriteLineAsync($"  {outcome.Validation.FileName}: {p}");
                if (outcome.Validation.Truncated) await stderr.WriteLineAsync($"  … and {outcome.Validation.ProblemCount - outcome.Validation.Problems.Count} more.");
                return 2;
            }
            var word = outcome.Kind == ImportOutcomeKind.Imported ? "imported" : "already-imported";
            if (asJson)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new { outcome = word, message = outcome.Message, importId = outcome.ImportId, report = outcome.Report }, CliApp.Json));
                return 0;
            }
            await stdout.WriteLineAsync(outcome.Message);
            if (outcome.Kind == ImportOutcomeKind.Imported && outcome.Report is { } r)
            {
                foreach (var t in r.TotalsByMajorCategory) await stdout.WriteLineAsync($"  {t.MajorCategory}: {t.Total:N0}");
                foreach (var a in r.NewAreas) await stdout.WriteLineAsync($"  new area (outside the London ranking): {a}");
                foreach (var n in r.NamesAddedTogether) await stdout.WriteLineAsync($"  {n.Sentence}");
                foreach (var u in r.UnmappedCategories) await stdout.WriteLineAsync($"  UNMAPPED category (counted in no measure until mapped): {u.MajorCategory} / {u.MinorCategory}: {u.Total:N0}");
                if (r.PoliceUk is { } p)
                    foreach (var line in PoliceUkLines(p)) await stdout.WriteLineAsync($"  {line}");
                foreach (var rev in r.Revisions.Take(20))
                    await stdout.WriteLineAsync($"  revised {rev.Area} {rev.Month}: {string.Join(", ", rev.Changes.Select(c => $"{c.Measure} {c.From?.ToString() ?? "-"} → {c.To?.ToString() ?? "-"}"))}");
                if (r.RevisionCount > 20) await stdout.WriteLineAsync($"  … {r.RevisionCount - 20} more revised area-months (see --json or the Imports page).");
            }
            return 0;
        });
        return command;
    }

    /// <summary>What a police.uk import's report says beyond the counts: where each local authority came from, and the rows not
    /// counted for one.</summary>
    internal static IEnumerable<string> PoliceUkLines(PoliceUkSummary p)
    {
        foreach (var t in p.CrimeTypes.Where(t => t.ChargedOrSummonsed is not null))
            yield return $"{t.CrimeType}: {t.ChargedOrSummonsed:N0} of {t.Crimes:N0} charged or summonsed";
        foreach (var a in p.LocalAuthorities)
            yield return $"local authority {a.Name}{(a.Code is null ? "" : $" ({a.Code})")}, {a.Force}: {a.Rows:N0} rows in {a.Lsoas:N0} LSOAs, placed by {a.AssignedBy}{(a.New ? "; new area" : "")}";
        foreach (var n in p.NoLocation)
            yield return $"no location: {n.Rows:N0} rows counted for the force as '{n.Area}'";
        foreach (var o in p.OtherForcesAreas.Take(10))
            yield return $"other force's area: {o.Rows:N0} rows in {o.LocalAuthority}{(o.LocalAuthorityForce is null ? "" : $" ({o.LocalAuthorityForce})")}, counted for the force as '{o.Force} (other forces' areas)'";
        if (p.OtherForcesAreas.Count > 10)
            yield return $"… and {p.OtherForcesAreas.Count - 10} more local authorities of other forces ({p.OtherForcesAreas.Skip(10).Sum(o => o.Rows):N0} rows; see --json)";
        foreach (var d in p.DuplicateCrimeIds.Take(20)) yield return $"repeated crime ID: {d.Sentence}";
        if (p.DuplicateRows > 20) yield return $"… and {p.DuplicateRows - 20} more rows repeating a crime ID (see --json)";
        foreach (var u in p.UnknownOutcomes)
            yield return $"outcome not recognised (counted as not charged): '{u.Outcome}': {u.Rows:N0} rows";
        if (p.IgnoredFiles.Count > 0)
            yield return $"not street-level files, not read: {string.Join(", ", p.IgnoredFiles.Take(5))}{(p.IgnoredFiles.Count > 5 ? $" and {p.IgnoredFiles.Count - 5} more" : "")}";
    }

    public static Command ImportLsoaLookup(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("path") { Description = "An ONS LSOA to local authority district lookup CSV (LSOA11CD or LSOA21CD, LAD..CD, LAD..NM)." };
        var command = new Command("import-lsoa-lookup", "Load an ONS LSOA → local authority lookup: police.uk imports place LSOAs by it (otherwise by the LSOA name's prefix).") { path };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(path)!;
            var file = CliApp.ResolvePath(given);
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync(Directory.Exists(file) ? $"{given}: is a folder, not a file." : $"{given}: no such file (looked for {file}).");
                return 2;
            }
            using var host = buildHost();
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<Data.Importing.PoliceUk.LsoaLookupImporter>()
                .ImportAsync(file, $"{Environment.UserName} (command line)", ct);
            if (!outcome.Done)
            {
                await stderr.WriteLineAsync(outcome.Message);
                foreach (var p in outcome.Problems ?? []) await stderr.WriteLineAsync($"  {Path.GetFileName(file)}: {p}");
                return 2;
            }
            await stdout.WriteLineAsync(outcome.Message);
            return 0;
        });
        return command;
    }

    private static long SinceStart() => (long)(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds;

    public static Command ImportPopulation(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("path") { Description = "The London Datastore population table (Code,Name,Year,Source,Population,…)." };
        var command = new Command("import-population", "Load borough populations (for rates per 1,000 and the London rank).") { path };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(path)!;
            var file = CliApp.ResolvePath(given);
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync(Directory.Exists(file) ? $"{given}: is a folder, not a file." : $"{given}: no such file (looked for {file}).");
                return 2;
            }
            using var host = buildHost();
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<PopulationImporter>().ImportAsync(file, ct);
            if (!outcome.Done)
            {
                await stderr.WriteLineAsync(outcome.Message);
                foreach (var p in outcome.Problems ?? []) await stderr.WriteLineAsync($"  {Path.GetFileName(file)}: {p}");
                return 2;
            }
            await stdout.WriteLineAsync(outcome.Message);
            return 0;
        });
        return command;
    }

    public static Command ImportWardPopulation(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("path") { Description = "ONS ward-level population estimates (a ward code column and a total, e.g. 'Ward 2023 Code' and 'Total')." };
        var year = new Option<int>("--year") { Description = "The mid-year the estimates are for (the files do not say), e.g. 2021.", Required = true };
        var command = new Command("import-ward-population", "Load ward populations (for hotspots' rates per 1,000 residents).") { path, year };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(path)!;
            var file = CliApp.ResolvePath(given);
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync(Directory.Exists(file) ? $"{given}: is a folder, not a file." : $"{given}: no such file (looked for {file}).");
                return 2;
            }
            using var host = buildHost();
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<Data.SmallAreas.WardPopulationImporter>().ImportAsync(file, parse.GetValue(year), ct);
            if (!outcome.Done)
            {
                await stderr.WriteLineAsync(outcome.Message);
                foreach (var p in outcome.Problems ?? []) await stderr.WriteLineAsync($"  {Path.GetFileName(file)}: {p}");
                return 2;
            }
            await stdout.WriteLineAsync(outcome.Message);
            return 0;
        });
        return command;
    }
}
