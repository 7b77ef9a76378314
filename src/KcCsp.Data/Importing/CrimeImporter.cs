using System.Globalization;
using System.Security.Cryptography;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Importing;

/// <summary>
/// Loads an MPS crime extract: validates the whole file first, then, in one transaction, stores its counts, marks the
/// area-months it is authoritative for, and recomputes every crime measure for them. A failure or a kill at any
/// point leaves the database as it was. The file is read twice, row by row; memory does not grow with its size.
/// </summary>
public sealed class CrimeImporter(KcCspDbContext db, IBulkWriter writer, MeasureValueRecomputer recomputer, ImportLock importLock,
    People.AuditTrail audit, TimeProvider clock, ILogger<CrimeImporter> logger)
{
    public const int ProblemCap = 200;

    /// <summary>Test-only: pause inside the loading transaction after this many counts, so a test can kill the process there.</summary>
    public const string PauseVariable = "KCCSP_TEST_PAUSE_IMPORT_AFTER_COUNTS";

    public async Task<ImportOutcome> ImportAsync(string path, string fileName, string who, ImportTrigger trigger, CancellationToken ct = default)
    {
        var timer = System.Diagnostics.Stopwatch.StartNew();
        // The hash and the validation pass each read the whole file: on two cores they run side by side.
        var hashing = Task.Run(() => Sha256Async(path, ct), ct);
        var scanning = Task.Run(() => ScanOrProblem(path, fileName, ct), ct);
        var sha = await hashing;
        logger.LogDebug("Import {FileName}: hashed in {Elapsed} ms", fileName, timer.ElapsedMilliseconds);
        using var held = await importLock.AcquireAsync(ct);

        var earlier = await db.CrimeImports.AsNoTracking()
            .Where(i => i.Sha256 == sha && i.Status == ImportStatus.Applied).OrderBy(i => i.Id).FirstOrDefaultAsync(ct);
        if (earlier is not null)
        {
            var message = $"{fileName} is identical (SHA-256) to import #{earlier.Id} ({earlier.FileName}, {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy}): nothing to do.";
            logger.LogInformation("Import of {FileName} skipped: identical to import {ImportId}", fileName, earlier.Id);
            return new ImportOutcome(ImportOutcomeKind.AlreadyImported, message, ImportReport.FromJson(earlier.ReportJson), ImportId: earlier.Id);
        }

        var (scan, unreadable) = await scanning;
        if (unreadable is not null)
        {
            return Invalid(fileName, [new ImportProblem(1, null, null, unreadable)], 1);
        }
        logger.LogDebug("Import {FileName}: validated in {Elapsed} ms", fileName, timer.ElapsedMilliseconds);
        if (scan.ProblemCount > 0 || scan.Layout is null)
            return Invalid(fileName, scan.Problems, scan.ProblemCount);
        if (scan.Rows == 0)
            return Invalid(fileName, [new ImportProblem(2, null, null, "The file has a header but no rows.")], 1);

        var report = await LoadAsync(path, fileName, sha, who, trigger, scan, ct);
        logger.LogInformation("Imported {FileName} as import {ImportId}: {Rows} rows, {Counts} counts, {Months} months, {Areas} areas, {Revisions} revised area-months, {Unmapped} unmapped categories",
            fileName, report.ImportId, report.Rows, report.CountsStored, report.MonthCount, report.Areas.Count, report.RevisionCount, report.UnmappedCategories.Count);
        var summary = $"Imported {fileName} as import #{report.ImportId}: {report.Rows:N0} rows, {report.CountsStored:N0} counts stored, {report.Areas.Count} areas, {report.MonthCount} months ({report.FirstMonth} to {report.LastMonth}); {report.RevisionCount} area-months revised; {report.UnmappedCategories.Count} unmapped categories.";
        return new ImportOutcome(ImportOutcomeKind.Imported, summary, report, ImportId: report.ImportId);
    }

    private ImportOutcome Invalid(string fileName, List<ImportProblem> problems, int count)
    {
        logger.LogWarning("Import of {FileName} rejected: {ProblemCount} problems, first: {FirstProblem}", fileName, count, problems.FirstOrDefault()?.ToString());
        return new ImportOutcome(ImportOutcomeKind.Invalid, $"{fileName} was not imported: {count} problem{(count == 1 ? "" : "s")} found. Nothing was written.",
            Validation: new ValidationReport(fileName, count, problems));
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private sealed class ExtractScan
    {
        public ExtractLayout? Layout;
        public long Rows;
        public int ProblemCount;
        public readonly List<ImportProblem> Problems = [];
        /// <summary>Area names by key, as first spelt in the file.</summary>
        public readonly Dictionary<string, string> Areas = [];
        /// <summary>Category names (major, minor) by key, with their totals.</summary>
        public readonly Dictionary<string, (string Major, string Minor, long Total)> Categories = [];
        public readonly SortedSet<int> Months = [];
        /// <summary>Long files: the (area key, month) pairs present. Wide files cover every area × month column.</summary>
        public readonly HashSet<(string Area, int Month)> Covered = [];

        public void Problem(long line, int? column, ExtractLayout? layout, string message)
        {
            if (++ProblemCount <= ProblemCap)
                Problems.Add(new ImportProblem(line, column is null ? null : column + 1, column is null || layout is null ? null : layout.ColumnName(column.Value), message));
        }
    }

    private static (ExtractScan Scan, string? Unreadable) ScanOrProblem(string path, string fileName, CancellationToken ct)
    {
        try
        {
            return (Scan(path, fileName, ct), null);
        }
        catch (ExtractFormatException e)
        {
            return (new ExtractScan(), e.Message);
        }
    }

    /// <summary>The validation pass: every problem with its line and column, and what the file covers.</summary>
    private static ExtractScan Scan(string path, string fileName, CancellationToken ct)
    {
        var scan = new ExtractScan();
        using var table = ExtractTable.Open(path, fileName);
        var layoutProblems = new List<ImportProblem>();
        var layout = ExtractLayout.Detect(table.Header, layoutProblems);
        scan.ProblemCount += layoutProblems.Count;
        scan.Problems.AddRange(layoutProblems);
        if (layout is null) return scan;
        scan.Layout = layout;
        foreach (var (_, month) in layout.MonthColumns) scan.Months.Add(month.ToYyyyMm());

        var names = new NameCache();
        var (areaColumn, majorColumn, minorColumn) = (new ColumnMemo(names), new ColumnMemo(names), new ColumnMemo(names));
        (string Key, int Month) lastCovered = ("", 0);
        var needed = new[] { layout.AreaColumn, layout.MajorColumn, layout.MinorColumn, layout.SmallAreaColumn ?? 0, layout.ValueColumn ?? 0, layout.YearColumn ?? 0, layout.MonthColumn ?? 0 }
            .Concat(layout.MonthColumns.Select(m => m.Column)).Max() + 1;
        while (table.MoveNext())
        {
            if ((++scan.Rows & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            var line = table.Line;
            if (table.ColumnCount < needed)
            {
                scan.Problem(line, null, layout, $"The row has {table.ColumnCount} columns; the header has {layout.Header.Count}.");
                continue;
            }
            var area = areaColumn.Get(table[layout.AreaColumn]);
            var major = majorColumn.Get(table[layout.MajorColumn]);
            var minor = minorColumn.Get(table[layout.MinorColumn]);
            if (area.Length == 0) scan.Problem(line, layout.AreaColumn, layout, "The area name is empty.");
            if (major.Length == 0) scan.Problem(line, layout.MajorColumn, layout, "The major category is empty.");
            if (minor.Length == 0) scan.Problem(line, layout.MinorColumn, layout, "The minor category is empty.");
            if (layout.SmallAreaColumn is { } sc && table[sc].Trim().Length > 20)
                scan.Problem(line, sc, layout, "The small-area code is longer than 20 characters.");
            var areaKey = names.AreaKey(area);
            var categoryKey = names.CategoryKey(major, minor);
            if (area.Length > 0 && !ReferenceEquals(areaKey, lastCovered.Key)) scan.Areas.TryAdd(areaKey, area.Trim());

            long rowTotal = 0;
            if (layout.IsLong)
            {
                var ok = TryCount(table[layout.ValueColumn!.Value], out var value);
                if (!ok) scan.Problem(line, layout.ValueColumn, layout, $"'{table[layout.ValueColumn!.Value].ToString()}' is not a count (a whole number, 0 or more).");
                var yearOk = int.TryParse(table[layout.YearColumn!.Value].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2200;
                if (!yearOk) scan.Problem(line, layout.YearColumn, layout, $"'{table[layout.YearColumn!.Value].ToString()}' is not a year.");
                var monthOk = int.TryParse(table[layout.MonthColumn!.Value].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12;
                if (!monthOk) scan.Problem(line, layout.MonthColumn, layout, $"'{table[layout.MonthColumn!.Value].ToString()}' is not a month (1-12).");
                if (yearOk && monthOk && area.Length > 0)
                {
                    var ym = year * 100 + month;
                    // Rows come grouped: only a change of area or month needs the sets.
                    if (!ReferenceEquals(areaKey, lastCovered.Key) || ym != lastCovered.Month)
                    {
                        scan.Months.Add(ym);
                        scan.Covered.Add((areaKey, ym));
                        lastCovered = (areaKey, ym);
                    }
                }
                rowTotal = ok ? value : 0;
            }
            else
            {
                foreach (var (column, _) in layout.MonthColumns)
                {
                    if (TryCount(table[column], out var value)) rowTotal += value;
                    else scan.Problem(line, column, layout, $"'{table[column].ToString()}' is not a count (a whole number, 0 or more).");
                }
            }
            if (major.Length > 0 && minor.Length > 0 && (rowTotal != 0 || !scan.Categories.ContainsKey(categoryKey)))
            {
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scan.Categories, categoryKey, out var exists);
                entry = exists ? entry with { Total = entry.Total + rowTotal } : (major.Trim(), minor.Trim(), rowTotal);
            }
        }
        if (!layout.IsLong)
            foreach (var a in scan.Areas.Keys)
                foreach (var m in scan.Months) scan.Covered.Add((a, m));
        return scan;
    }

    /// <summary>A count cell: a whole number, 0 or more ("12", "12.0" from spreadsheets).</summary>
    internal static bool TryCount(ReadOnlySpan<char> cell, out int value)
    {
        cell = cell.Trim();
        if (int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        if (cell.Length > 0 && decimal.TryParse(cell, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && decimal.IsInteger(d) && d <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        value = 0;
        return false;
    }

    private async Task<ImportReport> LoadAsync(string path, string fileName, string sha, string who, ImportTrigger trigger, ExtractScan scan, CancellationToken ct)
    {
        var layout = scan.Layout!;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await importLock.LockDatabaseAsync(db, ct);

        // Areas: known ones by their normalised name; new names become areas outside the London ranking.
        var areas = await db.Areas.ToListAsync(ct);
        var areaIds = new Dictionary<string, int>();
        var newAreas = new List<Area>();
        foreach (var (key, name) in scan.Areas)
        {
            var area = areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key);
            if (area is null)
            {
                area = new Area { Name = name, Kind = AreaKind.PseudoArea, InLondonRanking = false };
                db.Areas.Add(area);
                newAreas.Add(area);
                areas.Add(area);
            }
        }

        // Category names: known aliases; names matched only through a seeded "*" (any major) alias get their own
        // alias mapped the same way; unknown names get an unmapped alias, so their counts are kept and listed.
        var aliases = await db.CategoryAliases.ToDictionaryAsync(a => a.Key, ct);
        foreach (var (key, (major, minor, _)) in scan.Categories)
        {
            if (aliases.ContainsKey(key)) continue;
            aliases.TryGetValue(CategoryNames.Key("*", minor), out var anyMajor);
            var alias = new CategoryAlias
            {
                MajorName = major, MinorName = minor, Key = key, CategoryId = anyMajor?.CategoryId, CreatedAt = now,
                MappedBy = anyMajor?.CategoryId is null ? null : "seed (any major category)", MappedAt = anyMajor?.CategoryId is null ? null : now,
            };
            db.CategoryAliases.Add(alias);
            aliases[key] = alias;
        }

        var months = scan.Months.Select(YearMonth.FromYyyyMm).ToList();
        var import = new CrimeImport
        {
            FileName = fileName, Sha256 = sha, ImportedBy = who, ImportedAt = now, Trigger = trigger, Layout = layout.Description,
            Rows = scan.Rows, FirstMonth = months[0], LastMonth = months[^1], MonthCount = months.Count, AreaCount = scan.Areas.Count,
            Status = ImportStatus.Applied,
        };
        db.CrimeImports.Add(import);
        await db.SaveChangesAsync(ct);
        foreach (var key in scan.Areas.Keys) areaIds[key] = areas.First(a => AreaNames.Key(a.Name) == key).Id;

        var connection = db.Database.GetDbConnection();
        var transaction = tx.GetDbTransaction();
        await writer.WriteAsync(connection, transaction, BulkTables.Coverage,
            scan.Covered.Select(c => new ImportCoverage { ImportId = import.Id, AreaId = areaIds[c.Area], Month = YearMonth.FromYyyyMm(c.Month) })
                .OrderBy(c => c.AreaId).ThenBy(c => c.Month.ToYyyyMm()), ct);

        var aliasIds = aliases.ToDictionary(a => a.Key, a => a.Value.Id);
        var counts = ReadAhead(ReadCounts(path, fileName, layout, import.Id, areaIds, aliasIds, ct),
            c => new CrimeCount { ImportId = c.ImportId, AreaId = c.AreaId, SmallAreaCode = c.SmallAreaCode, AliasId = c.AliasId, Month = c.Month, Count = c.Count }, ct);
        var stored = await writer.WriteAsync(connection, transaction, BulkTables.Counts, counts, ct);
        import.CountsStored = stored;
        logger.LogDebug("Import {ImportId}: {Counts} counts written at {Elapsed} ms", import.Id, stored, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        var (revisionCount, revisions, previous) = await recomputer.RecomputeAsync(import.Id, ct);

        var unmappedIds = aliases.Values.Where(a => a.CategoryId is null).ToDictionary(a => a.Key, a => a.Id);
        var report = new ImportReport
        {
            ImportId = import.Id, FileName = fileName, Sha256 = sha, Layout = layout.Description, Rows = scan.Rows, CountsStored = stored,
            FirstMonth = months[0].ToString(), LastMonth = months[^1].ToString(), MonthCount = months.Count,
            Areas = scan.Areas.Values.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            NewAreas = newAreas.Select(a => a.Name).ToList(),
            TotalsByMajorCategory = scan.Categories.Values.GroupBy(c => AreaNames.Key(c.Major))
                .Select(g => new MajorCategoryTotal(g.First().Major, g.Sum(c => c.Total))).OrderBy(t => t.MajorCategory).ToList(),
            RevisionCount = revisionCount,
            Revisions = revisions,
            UnmappedCategories = scan.Categories.Where(c => unmappedIds.ContainsKey(c.Key))
                .Select(c => new UnmappedCategory(unmappedIds[c.Key], c.Value.Major, c.Value.Minor, c.Value.Total)).OrderBy(u => u.MajorCategory).ThenBy(u => u.MinorCategory).ToList(),
            ReplacedImports = previous.Where(p => p != import.Id).ToList(),
        };
        import.ReportJson = report.ToJson();
        // The audit row commits with the import itself: what arrived, and what it revised.
        audit.Record(who, "imported", nameof(CrimeImport), import.Id.ToString(CultureInfo.InvariantCulture),
            revisionCount == 0 ? null : new { RevisedAreaMonths = revisions.Take(50).Select(r => new { r.Area, r.Month, Measures = r.Changes.Select(c => new { c.Measure, c.From }) }) },
            new { import.FileName, import.Sha256, import.Layout, import.Rows, import.CountsStored, FirstMonth = report.FirstMonth, LastMonth = report.LastMonth, report.Areas.Count,
                RevisedAreaMonths = revisionCount, Revisions = revisions.Take(50).Select(r => new { r.Area, r.Month, Measures = r.Changes.Select(c => new { c.Measure, c.To }) }) });
        await db.SaveChangesAsync(ct);
        logger.LogDebug("Import {ImportId}: measures recomputed at {Elapsed} ms", import.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await tx.CommitAsync(ct);
        logger.LogDebug("Import {ImportId}: committed at {Elapsed} ms", import.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>
    /// Parses on a second thread while the caller writes: a bounded queue of batches, so memory stays flat. Errors on
    /// either side stop both.
    /// </summary>
    private static IEnumerable<T> ReadAhead<T>(IEnumerable<T> source, Func<T, T> copy, CancellationToken ct)
    {
        const int BatchSize = 4096;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new System.Collections.Concurrent.BlockingCollection<T[]>(boundedCapacity: 16);
        var producer = Task.Run(() =>
        {
            try
            {
                var batch = new List<T>(BatchSize);
                foreach (var item in source)
                {
                    batch.Add(copy(item));
                    if (batch.Count == BatchSize)
                    {
                        queue.Add(batch.ToArray(), stop.Token);
                        batch.Clear();
                    }
                }
                if (batch.Count > 0) queue.Add(batch.ToArray(), stop.Token);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, stop.Token);
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(stop.Token))
                foreach (var item in batch)
                    yield return item;
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        }
    }

    /// <summary>The loading pass: the file's non-zero counts, one at a time (one reused object, consumed at once by the writer).</summary>
    private static IEnumerable<CrimeCount> ReadCounts(string path, string fileName, ExtractLayout layout, int importId,
        Dictionary<string, int> areaIds, Dictionary<string, int> aliasIds, CancellationToken ct)
    {
        var pauseAfter = long.TryParse(Environment.GetEnvironmentVariable(PauseVariable), out var p) ? p : -1;
        long yielded = 0;
        var names = new NameCache();
        var (areaColumn, majorColumn, minorColumn, smallColumn) = (new ColumnMemo(names), new ColumnMemo(names), new ColumnMemo(names), new ColumnMemo(names));
        var monthValues = new int[layout.MonthColumns.Count];
        var count = new CrimeCount { ImportId = importId };
        using var table = ExtractTable.Open(path, fileName);
        long rows = 0;
        while (table.MoveNext())
        {
            if ((++rows & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            var area = areaColumn.Get(table[layout.AreaColumn]);
            var major = majorColumn.Get(table[layout.MajorColumn]);
            var minor = minorColumn.Get(table[layout.MinorColumn]);
            count.AreaId = areaIds[names.AreaKey(area)];
            count.AliasId = aliasIds[names.CategoryKey(major, minor)];
            count.SmallAreaCode = layout.SmallAreaColumn is { } sc ? smallColumn.Get(table[sc].Trim()) : null;
            if (count.SmallAreaCode is { Length: 0 }) count.SmallAreaCode = null;
            if (layout.IsLong)
            {
                TryCount(table[layout.ValueColumn!.Value], out var value);
                if (value == 0) continue;
                var year = int.Parse(table[layout.YearColumn!.Value].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                var month = int.Parse(table[layout.MonthColumn!.Value].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                count.Month = new YearMonth(year, month);
                count.Count = value;
                yield return count;
                if (++yielded == pauseAfter) PauseForTest();
            }
            else
            {
                for (var i = 0; i < monthValues.Length; i++) TryCount(table[layout.MonthColumns[i].Column], out monthValues[i]);
                for (var i = 0; i < monthValues.Length; i++)
                {
                    if (monthValues[i] == 0) continue;
                    count.Month = layout.MonthColumns[i].Month;
                    count.Count = monthValues[i];
                    yield return count;
                    if (++yielded == pauseAfter) PauseForTest();
                }
            }
        }
    }

    private static void PauseForTest()
    {
        Console.Error.WriteLine("KCCSP-TEST: import paused inside its transaction");
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>The previous row's value of a column: consecutive rows mostly repeat it.</summary>
    private sealed class ColumnMemo(NameCache names)
    {
        private string? last;

        public string Get(ReadOnlySpan<char> value) =>
            last is not null && value.SequenceEqual(last) ? last : last = names.Get(value);
    }

    /// <summary>
    /// Row values repeat (every row names a borough and a category): one string per distinct value, and the
    /// normalised keys computed once per distinct name rather than once per row.
    /// </summary>
    private sealed class NameCache
    {
        private const int Cap = 200_000;
        private readonly Dictionary<string, string> strings = [];
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;
        private readonly Dictionary<string, string> areaKeys = [];
        private readonly Dictionary<(string, string), string> categoryKeys = [];

        public NameCache() => lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<char> value)
        {
            if (lookup.TryGetValue(value, out var s)) return s;
            s = value.ToString();
            if (strings.Count < Cap) strings[s] = s;
            return s;
        }

        private (string Name, string Key) lastArea = ("\0", "");
        private (string Major, string Minor, string Key) lastCategory = ("\0", "\0", "");

        public string AreaKey(string name)
        {
            if (ReferenceEquals(name, lastArea.Name)) return lastArea.Key;
            if (!areaKeys.TryGetValue(name, out var key)) areaKeys[name] = key = AreaNames.Key(name);
            lastArea = (name, key);
            return key;
        }

        public string CategoryKey(string major, string minor)
        {
            if (ReferenceEquals(major, lastCategory.Major) && ReferenceEquals(minor, lastCategory.Minor)) return lastCategory.Key;
            if (!categoryKeys.TryGetValue((major, minor), out var key)) categoryKeys[(major, minor)] = key = CategoryNames.Key(major, minor);
            lastCategory = (major, minor, key);
            return key;
        }
    }
}
