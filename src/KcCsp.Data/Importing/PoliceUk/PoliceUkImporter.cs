using System.Text.RegularExpressions;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Importing.PoliceUk;

/// <summary>Whether a path is police.uk street-level data, from its content (never from its name alone).</summary>
public static class PoliceUkFiles
{
    /// <summary>A folder; a zip that is not an Excel workbook; or a CSV file whose header is police.uk's. Null for anything else
    /// (MPS extracts, workbooks, files of other kinds: the MPS reader takes and judges those).</summary>
    public static PoliceUkInput? Recognise(string path, string fileName)
    {
        if (Directory.Exists(path)) return PoliceUkInput.Folder;
        if (!File.Exists(path) || ExtractFiles.IsExcelName(fileName) || ExtractFiles.IsLegacyExcelName(fileName)) return null;
        var head = new byte[4096];
        int length;
        using (var probe = File.OpenRead(path)) length = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);
        if (bytes.StartsWith("PK\x03\x04"u8))
        {
            try
            {
                using var zip = System.IO.Compression.ZipFile.OpenRead(path);
                return zip.GetEntry("[Content_Types].xml") is null && zip.GetEntry("xl/workbook.xml") is null ? PoliceUkInput.Zip : null;
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }
        if (bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) bytes = bytes[3..];
        var newline = bytes.IndexOfAny((byte)'\n', (byte)'\r');
        var first = System.Text.Encoding.UTF8.GetString(newline < 0 ? bytes : bytes[..newline]);
        var columns = first.Split(',').Select(c => c.Trim().Trim('"')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return columns.Contains("Crime ID") || (columns.Contains("Falls within") && columns.Contains("Crime type")) ? PoliceUkInput.File : null;
    }
}

/// <summary>
/// The police.uk source: reads a street-level file, folder or zip (<see cref="PoliceUkReader"/>, no database), then in
/// one transaction under the import lock places each LSOA in its local authority (the ONS lookup when it has the
/// code, else the LSOA name's prefix), adds the local authorities and force pseudo-areas it lacks, writes the counts
/// through the bulk path, registers the LSOAs, and ends as every import does (<see cref="ImportFinisher"/>: coverage,
/// measures of its source recomputed, audit). Any problem refuses the whole input; nothing is written.
/// </summary>
public sealed partial class PoliceUkImporter(KcCspDbContext db, IBulkWriter writer, ImportFinisher finisher, ImportLock importLock, TimeProvider clock,
    ILogger<PoliceUkImporter> logger, Microsoft.Extensions.Options.IOptions<ExtractLimits> limitOptions)
{
    /// <summary>A local authority not yet known to belong to a force is the file's own when it has at least this share of
    /// the rows of the force's largest local authority in the file (Kent 2022: the smallest of its 13 has a quarter of
    /// Medway's; the most rows any other force's authority has in a month is under 1%). A few rows of a neighbouring
    /// force's authority (crimes near the force's edge) do not make the file authoritative for it.</summary>
    public const decimal OwnShare = 0.05m;

    [GeneratedRegex(@"^(.*\S)\s+\d{3}[A-Z]$")]
    private static partial Regex LsoaNamePattern();

    /// <summary>"Leeds 001A" → "Leeds"; null when the name is not "&lt;local authority&gt; &lt;3 digits&gt;&lt;letter&gt;".</summary>
    public static string? AuthorityOfLsoaName(string? name) => name is not null && LsoaNamePattern().Match(name) is { Success: true } m ? m.Groups[1].Value : null;

    private sealed class Authority(string key, string name, string? code)
    {
        public string Key { get; } = key;
        public string Name { get; } = name;
        /// <summary>The ONS code, when the lookup placed any of its LSOAs.</summary>
        public string? Code { get; set; } = code;
        public readonly HashSet<string> AssignedBy = [];
        /// <summary>The force of most of its rows.</summary>
        public string Force = "";
        /// <summary>Its rows per force, as the places were read (a few LSOAs at a force's edge carry the neighbour's).</summary>
        public readonly Dictionary<string, long> ForceRows = [];
        /// <summary>The first place read in it, which a problem with the authority names.</summary>
        public int FirstPlace = -1;
        public long Rows;
        public int Lsoas;
        public Area? Area;
        public bool Own;
        public bool New;
    }

    public async Task<ImportOutcome> ImportAsync(string path, string fileName, PoliceUkInput input, string who, ImportTrigger trigger, CancellationToken ct = default, Task? databaseReady = null)
    {
        var timer = System.Diagnostics.Stopwatch.StartNew();
        if (fileName.Length > 200) fileName = fileName[..150] + "…" + fileName[^40..];
        var now = clock.GetUtcNow();
        PoliceUkRead read;
        try
        {
            read = await Task.Run(() => PoliceUkReader.Read(path, fileName, input, limitOptions.Value, new YearMonth(now.Year, now.Month), ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogWarning(e, "Import of {FileName}: the police.uk input could not be read", fileName);
            return Invalid(fileName, [new ImportProblem(1, null, null, $"The file could not be read as police.uk data: {e.Message}")], 1);
        }
        logger.LogDebug("Import {FileName}: police.uk input read in {Elapsed} ms ({Rows} rows)", fileName, timer.ElapsedMilliseconds, read.Rows);
        if (databaseReady is not null) await databaseReady;
        if (read.ProblemCount > 0) return Invalid(fileName, read.Problems, read.ProblemCount);
        if (read.Rows == 0) return Invalid(fileName, [new ImportProblem(2, null, null, "The file has a header but no rows.")], 1);

        using var held = await importLock.AcquireAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await importLock.LockDatabaseAsync(db, ct);
            var earlier = await db.CrimeImports.AsNoTracking()
                .Where(i => i.Sha256 == read.Sha256 && i.Status == ImportStatus.Applied).OrderBy(i => i.Id).FirstOrDefaultAsync(ct);
            if (earlier is not null)
            {
                var message = $"{fileName} is identical (SHA-256) to import #{earlier.Id} ({earlier.FileName}, {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy}): nothing to do.";
                logger.LogInformation("Import of {FileName} skipped: identical to import {ImportId}", fileName, earlier.Id);
                return new ImportOutcome(ImportOutcomeKind.AlreadyImported, message, ImportReport.FromJson(earlier.ReportJson), ImportId: earlier.Id);
            }
            var problems = new List<ImportProblem>();
            var report = await LoadAsync(read, fileName, who, trigger, now, problems, ct);
            if (report is null)
            {
                await tx.RollbackAsync(ct);
                return Invalid(fileName, problems, problems.Count);
            }
            await tx.CommitAsync(ct);
            logger.LogInformation("Imported {FileName} (police.uk) as import {ImportId}: {Rows} rows, {Counts} counts, {Months} months, {Areas} areas, {Revisions} revised area-months in {Elapsed} ms",
                fileName, report.ImportId, report.Rows, report.CountsStored, report.MonthCount, report.Areas.Count, report.RevisionCount, timer.ElapsedMilliseconds);
            var summary = $"Imported {fileName} (police.uk street-level) as import #{report.ImportId}: {report.Rows:N0} rows, {report.CountsStored:N0} counts stored, " +
                $"{report.PoliceUk!.LocalAuthorities.Count} local authorities, {report.MonthCount} months ({report.FirstMonth} to {report.LastMonth}); {report.RevisionCount} area-months revised.";
            return new ImportOutcome(ImportOutcomeKind.Imported, summary, report, ImportId: report.ImportId);
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }
    }

    private ImportOutcome Invalid(string fileName, List<ImportProblem> problems, int count)
    {
        logger.LogWarning("Import of {FileName} rejected: {ProblemCount} problems, first: {FirstProblem}", fileName, count, problems.FirstOrDefault()?.ToString());
        return new ImportOutcome(ImportOutcomeKind.Invalid, $"{fileName} was not imported: {count} problem{(count == 1 ? "" : "s")} found. Nothing was written.",
            Validation: new ValidationReport(fileName, count, problems));
    }

    /// <summary>Everything inside the transaction; null (with <paramref name="problems"/>) when the file cannot be placed.</summary>
    private async Task<ImportReport?> LoadAsync(PoliceUkRead read, string fileName, string who, ImportTrigger trigger, DateTimeOffset now, List<ImportProblem> problems, CancellationToken ct)
    {
        void Problem(Place p, string message) => problems.Add(new ImportProblem(p.Line, null, null, read.Files.Count > 1 ? $"({p.File}) {message}" : message));

        // Each LSOA's local authority: the ONS lookup where it has the code, else the LSOA name's prefix.
        var codes = read.Places.Where(p => p.LsoaCode is not null).Select(p => p.LsoaCode!).ToList();
        var lookup = codes.Count == 0 ? [] : await db.LsoaLookups.AsNoTracking().Where(l => codes.Contains(l.LsoaCode)).ToDictionaryAsync(l => l.LsoaCode, ct);
        var areas = await db.Areas.ToListAsync(ct);
        var byCode = areas.Where(a => a.Code is { Length: > 0 }).GroupBy(a => a.Code!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var byKey = areas.GroupBy(a => AreaNames.Key(a.Name)).ToDictionary(g => g.Key, g => g.First());
        var authorities = new Dictionary<string, Authority>();
        var authorityOf = new Authority?[read.Places.Count];
        for (var i = 0; i < read.Places.Count; i++)
        {
            var p = read.Places[i];
            if (p.LsoaCode is null) continue;
            string name, key, by;
            string? code = null;
            if (lookup.TryGetValue(p.LsoaCode, out var l))
            {
                (name, code, by) = (l.LadName, l.LadCode, "ONS lookup");
            }
            else if (AuthorityOfLsoaName(p.LsoaName) is { } prefix && prefix.Length <= 100)
            {
                (name, by) = (prefix, "LSOA name");
            }
            else
            {
                Problem(p, p.LsoaName is null
                    ? $"The LSOA {p.LsoaCode} has no name and is not in the ONS lookup: its local authority is unknown. Load an ONS LSOA lookup (import-lsoa-lookup) that has it."
                    : $"The LSOA {p.LsoaCode} ('{ImportProblem.Shown(p.LsoaName)}') is not in the ONS lookup, and its name is not '<local authority> <3 digits><letter>' (e.g. 'Leeds 001A'): its local authority is unknown. Load an ONS LSOA lookup (import-lsoa-lookup) that has it.");
                continue;
            }
            // One authority per name, whichever way its LSOAs were placed (the lookup's name and an LSOA name's prefix agree
            // but for renamed districts, "Shepway" → Folkestone and Hythe, which are then two names).
            key = AreaNames.Key(name);
            if (!authorities.TryGetValue(key, out var authority))
                authorities[key] = authority = new Authority(key, name, code);
            authority.Code ??= code;
            authority.AssignedBy.Add(by);
            authority.Rows += p.Rows;
            authority.Lsoas++;
            authority.ForceRows[p.Force] = authority.ForceRows.GetValueOrDefault(p.Force) + p.Rows;
            if (authority.FirstPlace < 0) authority.FirstPlace = i;
            authorityOf[i] = authority;
        }
        if (problems.Count > 0) return null;

        // Which authorities are the file's own (see OwnShare), and their areas.
        // The force of an authority is that of most of its rows.
        foreach (var a in authorities.Values)
            a.Force = a.ForceRows.MaxBy(f => f.Value).Key;
        var largest = authorities.Values.GroupBy(a => a.Force, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Max(a => a.Rows), StringComparer.OrdinalIgnoreCase);
        var newAreas = new List<Area>();
        foreach (var a in authorities.Values)
        {
            var force = a.Force;
            var found = (a.Code is not null ? byCode.GetValueOrDefault(a.Code) : null) ?? byKey.GetValueOrDefault(AreaNames.Key(a.Name));
            if (found is { Kind: not AreaKind.Borough })
            {
                var first = read.Places[a.FirstPlace];
                Problem(first, $"The LSOA {first.LsoaCode} lies in {a.Name}, which the portal has as a {found.Kind switch { AreaKind.Region => "region", _ => "pseudo-area" }}, not a local authority.");
                continue;
            }
            a.Own = found?.Force is { } knownForce
                ? string.Equals(knownForce, force, StringComparison.OrdinalIgnoreCase)
                : a.Rows >= OwnShare * largest[force];
            a.Area = found;
            if (!a.Own) continue;
            if (found is null)
            {
                found = new Area { Name = a.Name, Code = a.Code, Kind = AreaKind.Borough, InLondonRanking = false, Force = force };
                db.Areas.Add(found);
                newAreas.Add(found);
                byKey[AreaNames.Key(a.Name)] = found;
                if (a.Code is not null) byCode[a.Code] = found;
                a.New = true;
                a.Area = found;
            }
            else
            {
                found.Force ??= force;
                if (found.Code is null && a.Code is not null) found.Code = a.Code;
            }
        }
        if (problems.Count > 0) return null;

        // The forces' pseudo-areas: rows without a location, and rows in other forces' local authorities.
        Area Pseudo(string force, string suffix)
        {
            var name = $"{force} ({suffix})";
            if (byKey.TryGetValue(AreaNames.Key(name), out var area)) return area;
            area = new Area { Name = name, Kind = AreaKind.PseudoArea, InLondonRanking = false, Force = force };
            db.Areas.Add(area);
            newAreas.Add(area);
            byKey[AreaNames.Key(name)] = area;
            return area;
        }
        var placeArea = new Area[read.Places.Count];
        for (var i = 0; i < read.Places.Count; i++)
        {
            var p = read.Places[i];
            placeArea[i] = p.LsoaCode is null ? Pseudo(p.Force, "no location")
                : authorityOf[i]!.Own ? authorityOf[i]!.Area! : Pseudo(p.Force, "other forces' areas");
        }

        // The categories: seeded with the portal; an alias the seed has not made yet is made here, mapped to its category.
        var categoryCodes = PoliceUkCategories.CrimeTypes.SelectMany(t => new[] { t.Code, t.ChargedCode }).OfType<string>().ToList();
        var categories = await db.CrimeCategories.Where(c => categoryCodes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, ct);
        var aliasKeys = PoliceUkCategories.CrimeTypes.SelectMany(t => new[] { PoliceUkCategories.AliasKey(t), t.HasOutcomes ? PoliceUkCategories.ChargedAliasKey(t) : null }).OfType<string>().ToList();
        var aliases = await db.CategoryAliases.Where(a => aliasKeys.Contains(a.Key)).ToDictionaryAsync(a => a.Key, ct);
        var typeAlias = new CategoryAlias[PoliceUkCategories.CrimeTypes.Count];
        var chargedAlias = new CategoryAlias?[PoliceUkCategories.CrimeTypes.Count];
        CategoryAlias Alias(string key, string major, string minor, string code)
        {
            if (aliases.TryGetValue(key, out var alias)) return alias;
            if (!categories.TryGetValue(code, out var category))
                categories[code] = category = PoliceUkCategories.Categories().First(c => c.Category.Code == code).Category;
            alias = new CategoryAlias { MajorName = major, MinorName = minor, Key = key, Category = category, CreatedAt = now, MappedBy = "seed", MappedAt = now };
            db.CategoryAliases.Add(alias);
            aliases[key] = alias;
            return alias;
        }
        for (var t = 0; t < PoliceUkCategories.CrimeTypes.Count; t++)
        {
            var type = PoliceUkCategories.CrimeTypes[t];
            typeAlias[t] = Alias(PoliceUkCategories.AliasKey(type), PoliceUkCategories.Major, type.Name, type.Code);
            if (type.ChargedCode is { } charged) chargedAlias[t] = Alias(PoliceUkCategories.ChargedAliasKey(type), PoliceUkCategories.ChargedMajor, type.Name, charged);
        }

        var months = read.Months.Select(YearMonth.FromYyyyMm).ToList();
        var coveredAreas = placeArea.Distinct().ToList();
        var import = new CrimeImport
        {
            FileName = fileName, Sha256 = read.Sha256, ImportedBy = who, ImportedAt = now, Trigger = trigger, Source = CrimeSources.PoliceUk,
            Layout = $"police.uk street-level: {read.Files.Count} file{(read.Files.Count == 1 ? "" : "s")}", Status = ImportStatus.Applied,
            Rows = read.Rows, FirstMonth = months[0], LastMonth = months[^1], MonthCount = months.Count, AreaCount = coveredAreas.Count,
            SmallAreaKind = SmallAreaKind.Lsoa,
        };
        db.CrimeImports.Add(import);
        await db.SaveChangesAsync(ct);

        // The LSOAs of the file's own authorities go to the small-area registry (hotspots read them); an LSOA that
        // earlier imports placed in another area is refused, as the MPS reader does.
        var lsoaPlaces = Enumerable.Range(0, read.Places.Count).Where(i => read.Places[i].LsoaCode is not null && authorityOf[i]!.Own).ToList();
        var lsoaCodes = lsoaPlaces.Select(i => read.Places[i].LsoaCode!).ToList();
        var known = await db.SmallAreas.Where(s => lsoaCodes.Contains(s.Code)).ToDictionaryAsync(s => s.Code, ct);
        var added = new List<SmallArea>();
        foreach (var i in lsoaPlaces)
        {
            var p = read.Places[i];
            var area = placeArea[i];
            if (known.TryGetValue(p.LsoaCode!, out var small))
            {
                if (small.AreaId != area.Id || small.Kind != SmallAreaKind.Lsoa)
                {
                    Problem(p, $"The LSOA {p.LsoaCode} ({p.LsoaName}) is in {areas.FirstOrDefault(a => a.Id == small.AreaId)?.Name ?? "another area"} in earlier imports; this file puts it in {area.Name}.");
                    continue;
                }
                if (months[^1] >= small.LastMonth && p.LsoaName is { } n && small.Name != n) small.Name = n;
                if (months[0] < small.FirstMonth) small.FirstMonth = months[0];
                if (months[^1] > small.LastMonth) small.LastMonth = months[^1];
                continue;
            }
            added.Add(new SmallArea { Code = p.LsoaCode!, Name = p.LsoaName ?? p.LsoaCode!, Kind = SmallAreaKind.Lsoa, AreaId = area.Id, FirstMonth = months[0], LastMonth = months[^1] });
        }
        if (problems.Count > 0) return null;
        await db.SaveChangesAsync(ct);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (added.Count > 0) await writer.WriteAsync(connection, transaction, BulkTables.SmallAreas, added, ct);

        // The counts: one per (place, crime type, month), and one more for those charged or summonsed.
        var sums = new Dictionary<(int Area, int Month, int Alias), long>();
        IEnumerable<CrimeCount> Counts()
        {
            var count = new CrimeCount { ImportId = import.Id };
            foreach (var ((place, type, month), (crimes, charged)) in read.Counts.OrderBy(c => placeArea[c.Key.Place].Id).ThenBy(c => c.Key.Month).ThenBy(c => c.Key.Type))
            {
                var area = placeArea[place];
                var code = read.Places[place].LsoaCode is { } c && authorityOf[place]!.Own ? c : null;
                foreach (var (alias, value) in new[] { (typeAlias[type], crimes), (chargedAlias[type], charged) })
                {
                    if (alias is null || value == 0) continue;
                    count.AreaId = area.Id;
                    count.SmallAreaCode = code;
                    count.AliasId = alias.Id;
                    count.Month = YearMonth.FromYyyyMm(month);
                    count.Count = value;
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, (area.Id, month, alias.Id), out _) += value;
                    yield return count;
                }
            }
        }
        import.CountsStored = await writer.WriteAsync(connection, transaction, BulkTables.Counts, Counts(), ct);
        await db.SaveChangesAsync(ct);

        var coverage = coveredAreas.SelectMany(a => months.Select(m => new ImportCoverage { ImportId = import.Id, AreaId = a.Id, Month = m }))
            .OrderBy(c => c.AreaId).ThenBy(c => c.Month.ToYyyyMm()).ToList();
        var (revisionCount, revisions, previous) = await finisher.CoverAndRecomputeAsync(import, coverage,
            sums.Select(s => new CountSum(s.Key.Area, s.Key.Month, s.Key.Alias, s.Value)).ToList(), ct);

        var byType = read.Counts.GroupBy(c => c.Key.Type).ToDictionary(g => g.Key, g => (Crimes: g.Sum(c => (long)c.Value.Count), Charged: g.Sum(c => (long)c.Value.Charged)));
        var summary = new PoliceUkSummary
        {
            Files = read.Files,
            IgnoredFiles = read.IgnoredFiles,
            LocalAuthorities = authorities.Values.Where(a => a.Own).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
                .Select(a => new PoliceUkAuthority(a.Area!.Name, a.Area.Code, a.Force, string.Join(" and ", a.AssignedBy.Order(StringComparer.Ordinal)), a.Rows, a.Lsoas, a.New)).ToList(),
            NoLocation = read.Places.Where(p => p.LsoaCode is null).OrderBy(p => p.Force)
                .Select(p => new PoliceUkForceRows(p.Force, $"{p.Force} (no location)", p.Rows)).ToList(),
            OtherForcesAreas = authorities.Values.Where(a => !a.Own).OrderByDescending(a => a.Rows).ThenBy(a => a.Name)
                .Select(a => new PoliceUkOtherForceRows(a.Force, a.Name, a.Area?.Force, a.Rows)).ToList(),
            CrimeTypes = byType.OrderBy(t => PoliceUkCategories.CrimeTypes[t.Key].Name)
                .Select(t => new PoliceUkTypeTotal(PoliceUkCategories.CrimeTypes[t.Key].Name, t.Value.Crimes, PoliceUkCategories.CrimeTypes[t.Key].HasOutcomes ? t.Value.Charged : null)).ToList(),
            DuplicateRows = read.DuplicateCount,
            DuplicateCrimeIds = read.Duplicates,
            UnknownOutcomes = read.UnknownOutcomes.OrderByDescending(o => o.Value).Select(o => new PoliceUkOutcomeCount(o.Key, o.Value)).ToList(),
        };
        var report = new ImportReport
        {
            ImportId = import.Id, FileName = fileName, Sha256 = read.Sha256, Layout = import.Layout, Rows = read.Rows, CountsStored = import.CountsStored,
            FirstMonth = months[0].ToString(), LastMonth = months[^1].ToString(), MonthCount = months.Count,
            Areas = coveredAreas.Select(a => a.Name).Order(StringComparer.OrdinalIgnoreCase).ToList(),
            NewAreas = newAreas.Select(a => a.Name).ToList(),
            TotalsByMajorCategory = summary.CrimeTypes.Select(t => new MajorCategoryTotal(t.CrimeType, t.Crimes)).ToList(),
            RevisionCount = revisionCount, Revisions = revisions,
            ReplacedImports = previous.Where(p => p != import.Id).ToList(),
            PoliceUk = summary,
        };
        import.ReportJson = report.ToJson();
        await db.SaveChangesAsync(ct);
        await finisher.AuditAsync(who, import, report, ct);
        return report;
    }
}
