using System.Globalization;
using System.Security.Cryptography;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Importing;

/// <summary>
/// Loads an MPS crime extract in one read of the file, inside one transaction: every row is validated as it is read
/// and its counts are written as they come; if any problem is found the transaction is rolled back, so nothing is
/// written and every problem (up to a cap) is reported with its line and column. Then it marks the area-months the
/// file is authoritative for and recomputes every crime measure for them, and commits. A failure or a kill at any
/// point leaves the database as it was. The SHA-256 is taken from the same read; memory does not grow with the file.
/// </summary>
public sealed class CrimeImporter(KcCspDbContext db, IBulkWriter writer, ImportFinisher finisher, ImportLock importLock,
    PoliceUk.PoliceUkImporter policeUk, TimeProvider clock, ILogger<CrimeImporter> logger, Microsoft.Extensions.Options.IOptions<ExtractLimits> limitOptions)
{
    public const int ProblemCap = 200;

    /// <param name="databaseReady">The command line: the database checks (which build EF Core's model, a few hundred
    /// milliseconds) still running; the file is read and validated meanwhile, and nothing touches the database before they end.</param>
    public async Task<ImportOutcome> ImportAsync(string path, string fileName, string who, ImportTrigger trigger, CancellationToken ct = default, Task? databaseReady = null)
    {
        // police.uk street-level data (a file, a month's folder or a zip) is another source, read by its own reader.
        if (PoliceUk.PoliceUkFiles.Recognise(path, fileName) is { } policeUkInput)
            return await policeUk.ImportAsync(path, fileName, policeUkInput, who, trigger, ct, databaseReady);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        using var held = await importLock.AcquireAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (fileName.Length > 200) fileName = fileName[..150] + "…" + fileName[^40..];
        var limits = limitOptions.Value;
        IExtractTable table;
        try
        {
            table = ExtractTable.Open(path, fileName, limits, hash);
        }
        catch (ExtractFormatException e)
        {
            return Invalid(fileName, [new ImportProblem(e.Line, null, null, e.Message)], 1);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever a parser throws on a hostile file is a problem with the file, reported like any other.
            logger.LogWarning(e, "Import of {FileName}: the file could not be opened", fileName);
            return Invalid(fileName, [new ImportProblem(1, null, null, $"The file could not be read as an extract: {e.Message}")], 1);
        }
        using (table)
        {
            var layoutProblems = new List<ImportProblem>();
            var now = clock.GetUtcNow();
            var layout = ExtractLayout.Detect(table.Header, layoutProblems, new YearMonth(now.Year, now.Month));
            if (layout is null) return Invalid(fileName, layoutProblems, layoutProblems.Count);
            // A header with problems but still readable: the rows are checked too, so every problem is listed at once.
            await using var reading = Reading.Start(table, layout, fileName, limits, new YearMonth(now.Year, now.Month), layoutProblems, logger, ct);
            if (databaseReady is not null) await databaseReady;

            // SQLite: the import connection checks no foreign keys while it loads. Every id it writes was read or
            // created inside this transaction, which holds SQLite's only write lock from its start (BEGIN IMMEDIATE),
            // so nothing can remove what they point to; the checks would cost three look-ups per count.
            var sqlite = db.Database.IsSqlite();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF; PRAGMA cache_size = -32768;", ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await importLock.LockDatabaseAsync(db, ct);
                var (scan, load) = await LoadAsync(reading, layout, fileName, who, trigger, ct);
                logger.LogDebug("Import {FileName}: read, validated and loaded in {Elapsed} ms", fileName, timer.ElapsedMilliseconds);
                if (scan.ProblemCount > 0)
                {
                    await tx.RollbackAsync(ct);
                    return Invalid(fileName, scan.Problems, scan.ProblemCount);
                }
                if (scan.Rows == 0)
                {
                    await tx.RollbackAsync(ct);
                    return Invalid(fileName, [new ImportProblem(2, null, null, "The file has a header but no rows.")], 1);
                }

                logger.LogDebug("Import {ImportId}: hashing finished at {Elapsed} ms", load.Import.Id, timer.ElapsedMilliseconds);
                if (table is CsvTable csv) csv.FinishHash();
                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                var earlier = await db.CrimeImports.AsNoTracking()
                    .Where(i => i.Sha256 == sha && i.Status == ImportStatus.Applied && i.Id != load.Import.Id).OrderBy(i => i.Id).FirstOrDefaultAsync(ct);
                if (earlier is not null)
                {
                    // Found only after the read that hashed it: what was loaded is rolled back, so nothing changes.
                    await tx.RollbackAsync(ct);
                    var message = $"{fileName} is identical (SHA-256) to import #{earlier.Id} ({earlier.FileName}, {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy}): nothing to do.";
                    logger.LogInformation("Import of {FileName} skipped: identical to import {ImportId}", fileName, earlier.Id);
                    return new ImportOutcome(ImportOutcomeKind.AlreadyImported, message, ImportReport.FromJson(earlier.ReportJson), ImportId: earlier.Id);
                }

                var report = await FinishAsync(scan, load, layout, fileName, sha, who, ct);
                logger.LogDebug("Import {ImportId}: report written at {Elapsed} ms", report.ImportId, timer.ElapsedMilliseconds);
                await tx.CommitAsync(ct);
                logger.LogDebug("Import {ImportId}: committed at {Elapsed} ms", report.ImportId, timer.ElapsedMilliseconds);
                logger.LogInformation("Imported {FileName} as import {ImportId}: {Rows} rows, {Counts} counts, {Months} months, {Areas} areas, {Revisions} revised area-months, {Unmapped} unmapped categories",
                    fileName, report.ImportId, report.Rows, report.CountsStored, report.MonthCount, report.Areas.Count, report.RevisionCount, report.UnmappedCategories.Count);
                var summary = $"Imported {fileName} as import #{report.ImportId}: {report.Rows:N0} rows, {report.CountsStored:N0} counts stored, {report.Areas.Count} areas, {report.MonthCount} months ({report.FirstMonth} to {report.LastMonth}); {report.RevisionCount} area-months revised; {report.UnmappedCategories.Count} unmapped categories.";
                return new ImportOutcome(ImportOutcomeKind.Imported, summary, report, ImportId: report.ImportId);
            }
            finally
            {
                db.ChangeTracker.Clear();
                if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000;", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
                logger.LogDebug("Import {FileName}: connection closed at {Elapsed} ms", fileName, timer.ElapsedMilliseconds);
            }
        }
    }

    private ImportOutcome Invalid(string fileName, List<ImportProblem> problems, int count)
    {
        logger.LogWarning("Import of {FileName} rejected: {ProblemCount} problems, first: {FirstProblem}", fileName, count, problems.FirstOrDefault()?.ToString());
        return new ImportOutcome(ImportOutcomeKind.Invalid, $"{fileName} was not imported: {count} problem{(count == 1 ? "" : "s")} found. Nothing was written.",
            Validation: new ValidationReport(fileName, count, problems));
    }

    /// <summary>What the read found: problems, and what the file covers (filled by the reading thread).</summary>
    private sealed class ExtractScan
    {
        public long Rows;
        public int ProblemCount;
        /// <summary>Time the reading thread waited for the writer (a full queue), for the Debug timings.</summary>
        public long BlockedTicks;
        public readonly List<ImportProblem> Problems = [];
        /// <summary>Area names by key, as first spelt in the file.</summary>
        public readonly Dictionary<string, string> Areas = [];
        /// <summary>Category names (major, minor) by key, as first spelt, with the totals of all their spellings (made from
        /// <see cref="Spellings"/> at the end of the read).</summary>
        public readonly Dictionary<string, (string Major, string Minor, long Total)> Categories = [];
        /// <summary>Category names exactly as published (see <see cref="NameCache.Spelling"/>), with their key and totals: two
        /// spellings of one key (the MPS's 2024 "PUBLIC FEAR, ALARM OR DISTRESS") are one category whose counts add up.</summary>
        public readonly Dictionary<string, (string Key, string Major, string Minor, long Total)> Spellings = [];
        public readonly SortedSet<int> Months = [];
        /// <summary>Ward or LSOA codes, as first seen: name, area and line; and any other area the file puts them under.</summary>
        public readonly Dictionary<string, SmallAreaSeen> SmallAreas = [];
        /// <summary>Long files: the (area key, month) pairs present. Wide files cover every area × month column.</summary>
        public readonly HashSet<(string Area, int Month)> Covered = [];

        /// <summary>The line of the last row read, for a problem that stops the read.</summary>
        public long LastLine = 1;

        public void Problem(long line, int? column, ExtractLayout? layout, string message) =>
            Problem(new ImportProblem(line, column is null ? null : column + 1, column is null || layout is null ? null : layout.ColumnName(column.Value), message));

        public void Problem(ImportProblem problem)
        {
            if (++ProblemCount <= ProblemCap) Problems.Add(problem);
        }
    }

    /// <summary>A small-area code as the file lists it (counts or not).</summary>
    private sealed class SmallAreaSeen(string name, string areaKey, long line)
    {
        public string Name { get; } = name;
        public string AreaKey { get; } = areaKey;
        public long Line { get; } = line;
        /// <summary>Other areas the file lists it under, with the first line of each (airport policing units share wards).</summary>
        public Dictionary<string, long> OtherAreas { get; } = [];
        /// <summary>The borough it lies in, once the areas are known.</summary>
        public Area? Borough { get; set; }
    }

    /// <summary>A small-area file's borough total row (no small-area code), held until the file's small areas are summed.</summary>
    private sealed record BoroughTotal(long Line, string Area, string Major, string Minor, string CategoryKey, int[] Months);

    /// <summary>One non-zero count as read: names as interned strings (resolved to ids by the writing side).</summary>
    private readonly record struct ReadCount(string Area, string AreaKey, string Major, string Minor, string CategoryKey, string? SmallAreaCode, int Month, int Count);

    /// <summary>The first <see cref="Length"/> counts of a pooled array (1,024 counts, 57 KB: below the large-object heap).</summary>
    private readonly record struct ReadBatch(ReadCount[] Counts, int Length)
    {
        public const int Size = 1024;
    }

    /// <summary>The reading thread, started as soon as the layout is known: it fills a bounded queue the writer empties.</summary>
    private sealed class Reading : IAsyncDisposable
    {
        public readonly ExtractScan Scan = new();
        public required CancellationTokenSource Stop;
        // Room for the counts of the first few hundred milliseconds, read while the database checks finish (about 15 MB).
        public readonly System.Collections.Concurrent.BlockingCollection<ReadBatch> Queue = new(boundedCapacity: 256);
        /// <summary>Batch arrays the loading side has written, for the reading thread to fill again.</summary>
        public readonly System.Collections.Concurrent.ConcurrentQueue<ReadCount[]> Free = new();
        public Task Task = Task.CompletedTask;
        /// <summary>The keys of the areas the portal knows (set by the loading side once it has read them), for the unknown-area limit.</summary>
        public readonly TaskCompletionSource<IReadOnlySet<string>> KnownAreas = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Reading Start(IExtractTable table, ExtractLayout layout, string fileName, ExtractLimits limits, YearMonth latest,
            List<ImportProblem> headerProblems, ILogger logger, CancellationToken ct)
        {
            var reading = new Reading { Stop = CancellationTokenSource.CreateLinkedTokenSource(ct) };
            foreach (var p in headerProblems) reading.Scan.Problem(p);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            reading.Task = Task.Run(() =>
            {
                var scan = reading.Scan;
                try { Read(table, layout, limits, latest, reading.KnownAreas.Task, scan, reading.Queue, reading.Free, reading.Stop.Token); }
                catch (ExtractFormatException e)
                {
                    scan.Problem(new ImportProblem(e.Line, null, null, e.Message));
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    // A parser's exception on a hostile file is one more problem with the file, never a crash.
                    logger.LogWarning(e, "Import of {FileName}: reading stopped after {Rows} rows", fileName, scan.Rows);
                    scan.Problem(new ImportProblem(scan.LastLine + 1, null, null, $"The file could not be read after line {scan.LastLine}: {e.Message}"));
                }
                finally
                {
                    reading.Queue.CompleteAdding();
                    logger.LogDebug("Import {FileName}: file read in {Elapsed} ms ({Blocked} ms of it waiting for the writer)", fileName,
                        System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, reading.Scan.BlockedTicks * 1000 / System.Diagnostics.Stopwatch.Frequency);
                }
            }, reading.Stop.Token);
            return reading;
        }

        public async ValueTask DisposeAsync()
        {
            if (Stop.IsCancellationRequested && Task.IsCompleted) return;
            Stop.Cancel();
            // Already awaited on success; after a failure, only its stopping matters (the table is disposed after it).
            try { await Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None); } catch (Exception) { }
        }
    }

    /// <summary>What the loading side made: the import row, the ids it resolved, the sums for the measures.</summary>
    private sealed class LoadState
    {
        public required CrimeImport Import;
        public readonly Dictionary<string, int> AreaIds = [];
        public readonly Dictionary<string, CategoryAlias> Aliases = [];
        public readonly List<Area> NewAreas = [];
        public readonly Dictionary<(int Area, int Month, int Alias), long> Sums = [];
        public long Stored;
    }

    /// <summary>
    /// The one read: a second thread parses and validates; this one resolves names to ids and writes the counts.
    /// The writer stops for a name it has no id for (rare: a new area or category), creates it, and goes on.
    /// </summary>
    private async Task<(ExtractScan Scan, LoadState Load)> LoadAsync(Reading reading, ExtractLayout layout, string fileName, string who, ImportTrigger trigger, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var import = new CrimeImport
        {
            // Placeholders until the read ends; the row exists first so the counts can name it.
            FileName = fileName, Sha256 = "", ImportedBy = who, ImportedAt = now, Trigger = trigger, Layout = layout.Description,
            Status = ImportStatus.Applied,
        };
        db.CrimeImports.Add(import);
        await db.SaveChangesAsync(ct);
        var load = new LoadState { Import = import };
        var areas = await db.Areas.ToListAsync(ct);
        var areasByKey = new Dictionary<string, Area>();
        foreach (var a in areas)
        {
            areasByKey.TryAdd(AreaNames.Key(a.Name), a);
            // Releases since 2026 name the borough by its ONS code (E09000020) in the Borough column of LSOA files.
            if (a.Code is { Length: > 0 } code) areasByKey.TryAdd(AreaNames.Key(code), a);
        }
        var aliases = await db.CategoryAliases.ToDictionaryAsync(a => a.Key, ct);
        reading.KnownAreas.TrySetResult(areasByKey.Keys.Concat(ExtractLimits.KnownPseudoAreas.Select(AreaNames.Key)).ToHashSet());

        var (scan, stop, queue) = (reading.Scan, reading.Stop, reading.Queue);

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var pending = new Queue<ReadCount>();
        var batches = queue.GetConsumingEnumerable(stop.Token).GetEnumerator();
        try
        {
            ReadCount? blocked = null;
            while (true)
            {
                var segment = Resolved(load, areasByKey, aliases, batches, reading.Free, pending, c => blocked = c);
                load.Stored += await writer.WriteAsync(connection, transaction, BulkTables.Counts, segment, stop.Token);
                if (blocked is not { } b) break;
                blocked = null;
                // A name with no id yet: create it (outside any bulk write: PostgreSQL's COPY owns the connection).
                if (!areasByKey.ContainsKey(b.AreaKey))
                {
                    var area = new Area { Name = b.Area.Trim(), Kind = AreaKind.PseudoArea, InLondonRanking = false };
                    db.Areas.Add(area);
                    areasByKey[b.AreaKey] = area;
                    load.NewAreas.Add(area);
                }
                if (!aliases.ContainsKey(b.CategoryKey))
                {
                    // Names matched only through a seeded "*" (any major) alias get their own alias mapped the same
                    // way; unknown names get an unmapped alias, so their counts are kept and listed.
                    aliases.TryGetValue(CategoryNames.Key("*", b.Minor.Trim()), out var anyMajor);
                    var alias = new CategoryAlias
                    {
                        MajorName = b.Major.Trim(), MinorName = b.Minor.Trim(), Key = b.CategoryKey, CategoryId = anyMajor?.CategoryId, CreatedAt = now,
                        MappedBy = anyMajor?.CategoryId is null ? null : "seed (any major category)", MappedAt = anyMajor?.CategoryId is null ? null : now,
                    };
                    db.CategoryAliases.Add(alias);
                    aliases[b.CategoryKey] = alias;
                }
                await db.SaveChangesAsync(stop.Token);
            }
            await reading.Task;
        }
        finally
        {
            await reading.DisposeAsync();
            batches.Dispose();
        }
        if (layout.SmallAreaKind is { } kind) await PlaceSmallAreasAsync(scan, layout, kind, areasByKey, ct);
        if (scan.ProblemCount > 0) return (scan, load);
        // Areas and categories that only had zero counts still need their rows and ids.
        foreach (var (key, name) in scan.Areas)
        {
            if (areasByKey.ContainsKey(key)) continue;
            var area = new Area { Name = name, Kind = AreaKind.PseudoArea, InLondonRanking = false };
            db.Areas.Add(area);
            areasByKey[key] = area;
            load.NewAreas.Add(area);
        }
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
        await db.SaveChangesAsync(ct);
        foreach (var key in scan.Areas.Keys) load.AreaIds[key] = areasByKey[key].Id;
        foreach (var (key, alias) in aliases) load.Aliases[key] = alias;
        logger.LogDebug("Import {ImportId}: {Counts} counts written at {Elapsed} ms", import.Id, load.Stored, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return (scan, load);
    }

    /// <summary>
    /// The counts read so far, with their ids, until one names an area or category that has no id yet (handed to
    /// <paramref name="blockedOn"/>). Adds each count to the sums the measures are recomputed from.
    /// </summary>
    private static IEnumerable<CrimeCount> Resolved(LoadState load, Dictionary<string, Area> areas, Dictionary<string, CategoryAlias> aliases,
        IEnumerator<ReadBatch> batches, System.Collections.Concurrent.ConcurrentQueue<ReadCount[]> free, Queue<ReadCount> pending,
        Action<ReadCount> blockedOn)
    {
        var count = new CrimeCount { ImportId = load.Import.Id };
        (string Key, int Id) lastArea = ("\0", 0), lastAlias = ("\0", 0);
        var sums = load.Sums;
        // Counts come in runs of one area, month and category (one per small area): each run is added up here and
        // goes into the sums once.
        (int Area, int Month, int Alias) run = (0, 0, 0);
        long runTotal = 0;
        void EndRun()
        {
            if (runTotal != 0) System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, run, out _) += runTotal;
            runTotal = 0;
        }
        while (true)
        {
            ReadCount[] array;
            int length;
            if (pending.Count > 0)
            {
                array = [.. pending];
                length = array.Length;
                pending.Clear();
            }
            else if (batches.MoveNext())
            {
                (array, length) = batches.Current;
            }
            else
            {
                EndRun();
                yield break;
            }
            for (var i = 0; i < length; i++)
            {
                var c = array[i];
                // Consecutive counts mostly share their area and category: only a change needs a look-up.
                if ((!ReferenceEquals(c.AreaKey, lastArea.Key) && !Resolve(c.AreaKey, areas, a => a.Id, ref lastArea))
                    || (!ReferenceEquals(c.CategoryKey, lastAlias.Key) && !Resolve(c.CategoryKey, aliases, a => a.Id, ref lastAlias)))
                {
                    foreach (var rest in array.AsSpan(i, length - i)) pending.Enqueue(rest);
                    Return(free, array);
                    EndRun();
                    blockedOn(c);
                    yield break;
                }
                count.AreaId = lastArea.Id;
                count.AliasId = lastAlias.Id;
                count.SmallAreaCode = c.SmallAreaCode;
                count.Month = YearMonth.FromYyyyMm(c.Month);
                count.Count = c.Count;
                if (run != (lastArea.Id, c.Month, lastAlias.Id))
                {
                    EndRun();
                    run = (lastArea.Id, c.Month, lastAlias.Id);
                }
                runTotal += c.Count;
                yield return count;
            }
            Return(free, array);
        }
    }

    /// <summary>Whether a name already has its id; if so it becomes <paramref name="last"/>.</summary>
    private static bool Resolve<T>(string key, Dictionary<string, T> byKey, Func<T, int> id, ref (string Key, int Id) last)
    {
        if (!byKey.TryGetValue(key, out var found) || id(found) == 0) return false;
        last = (key, id(found));
        return true;
    }

    /// <summary>A written batch's array, back to the reading thread (a pending one, copied out of a batch, is not pooled).</summary>
    private static void Return(System.Collections.Concurrent.ConcurrentQueue<ReadCount[]> free, ReadCount[] array)
    {
        if (array.Length == ReadBatch.Size) free.Enqueue(array);
    }

    /// <summary>The reading thread: every row validated, its non-zero counts queued in batches (bounded: memory stays flat).
    /// Bad rows are listed (up to the cap) and the read goes on, so one run shows every problem.</summary>
    private static void Read(IExtractTable table, ExtractLayout layout, ExtractLimits limits, YearMonth latest, Task<IReadOnlySet<string>> knownAreas,
        ExtractScan scan, System.Collections.Concurrent.BlockingCollection<ReadBatch> queue, System.Collections.Concurrent.ConcurrentQueue<ReadCount[]> free,
        CancellationToken ct)
    {
        ReadCount[] Rent() => free.TryDequeue(out var array) ? array : new ReadCount[ReadBatch.Size];
        // Batches are arrays the loading side hands back once written: the read allocates nothing per count (an
        // array per batch cost the read a third of its time in copying and garbage collection).
        var batch = Rent();
        var filled = 0;
        void Emit(ReadCount c)
        {
            // Once a problem is found nothing will be kept: keep validating, stop queueing.
            if (scan.ProblemCount > 0) return;
            batch[filled++] = c;
            if (filled == batch.Length)
            {
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                queue.Add(new ReadBatch(batch, filled), ct);
                batch = Rent();
                scan.BlockedTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
                filled = 0;
            }
        }

        foreach (var (_, month) in layout.MonthColumns) scan.Months.Add(month.ToYyyyMm());
        var names = new NameCache();
        var (areaColumn, majorColumn, minorColumn) = (new ColumnMemo(names), new ColumnMemo(names), new ColumnMemo(names));
        (string Key, int Month) lastCovered = ("", 0);
        string? lastCategory = null;
        var width = layout.Header.Count;
        var monthValues = new int[layout.MonthColumns.Count];
        var monthKeys = layout.MonthColumns.Select(m => m.Month.ToYyyyMm()).ToArray();
        // A borough total must be its small areas' sum, month by month; a borough with a total and no small areas keeps the total.
        void CheckBoroughTotals(Dictionary<(string Area, string Category), BoroughTotal> totals, Dictionary<(string Area, string Category), long[]> sums)
        {
            var word = layout.SmallAreaKind == SmallAreaKind.Ward ? "wards" : "LSOAs";
            foreach (var (key, total) in totals)
            {
                if (!sums.TryGetValue(key, out var parts))
                {
                    for (var i = 0; i < total.Months.Length; i++)
                        if (total.Months[i] != 0) Emit(new ReadCount(total.Area, key.Area, total.Major, total.Minor, total.CategoryKey, null, monthKeys[i], total.Months[i]));
                    continue;
                }
                for (var i = 0; i < total.Months.Length; i++)
                {
                    if (parts[i] == total.Months[i]) continue;
                    scan.Problem(total.Line, layout.MonthColumns[i].Column, layout,
                        $"The {word} of {total.Area.Trim()} add up to {parts[i]:N0} for {total.Major.Trim()} / {total.Minor.Trim()} in {layout.MonthColumns[i].Month}; this row, the file's own borough total, says {total.Months[i]:N0}.");
                    break;
                }
            }
        }
        var duplicates = new DuplicateRows(limits, layout.IsLong, latest);
        // Wide small-area files: borough total rows (no small-area code) and the small areas' sums, by area and category names.
        Dictionary<(string Area, string Category), BoroughTotal>? boroughTotals = layout is { SmallAreaColumn: not null, IsLong: false } ? [] : null;
        Dictionary<(string Area, string Category), long[]>? wardSums = boroughTotals is null ? null : [];
        // Per small-area number (from the duplicate check), the number of the area it was first listed under: a row
        // costs one array read, not a look-up by code (an LSOA file changes code on every row).
        var smallAreaArea = new int[1024];
        // A small area's code, name and borough: recorded the first time, and any other area it is listed under.
        void SeeSmallArea(string? code, int smallId, int areaId, string areaKey, long line)
        {
            if (code is null || smallId == 0) return;
            if (smallId >= smallAreaArea.Length) Array.Resize(ref smallAreaArea, Math.Max(smallId + 1, smallAreaArea.Length * 2));
            var first = smallAreaArea[smallId];
            if (first == areaId) return;
            if (first != 0)
            {
                scan.SmallAreas[code].OtherAreas.TryAdd(areaKey, line);
                return;
            }
            smallAreaArea[smallId] = areaId;
            if (SmallAreaCodes.Problem(layout.SmallAreaKind!.Value, code) is { } problem) scan.Problem(line, layout.SmallAreaColumn, layout, problem);
            var name = layout.SmallAreaNameColumn is { } nameColumn ? table[nameColumn].Trim() : code;
            if (name.Length > ExtractCells.MaxCategoryName) name = name[..ExtractCells.MaxCategoryName];
            scan.SmallAreas[code] = new SmallAreaSeen(name.Length == 0 ? code : name.ToString(), areaKey, line);
        }
        var unknownAreas = new List<string>();
        IReadOnlySet<string>? known = null;
        const int PendingAreas = 256;
        var newAreas = new List<(string Key, string Name, long Line)>();
        void CheckNewAreas(bool wait)
        {
            if (known is null)
            {
                if (!knownAreas.IsCompleted && !wait) return;
                knownAreas.Wait(ct);
                known = knownAreas.Result;
            }
            foreach (var (key, name, at) in newAreas)
            {
                if (known.Contains(key) || unknownAreas.Count > limits.MaxUnknownAreas) continue;
                unknownAreas.Add(name);
                if (unknownAreas.Count > limits.MaxUnknownAreas)
                    scan.Problem(at, layout.AreaColumn, layout,
                        $"More than {limits.MaxUnknownAreas} area names are neither London boroughs nor areas the portal knows " +
                        $"({string.Join(", ", unknownAreas.Select(a => $"'{ImportProblem.Shown(a)}'"))}): is this the area column of an MPS extract? " +
                        "(Import:Limits:MaxUnknownAreas)");
            }
            newAreas.Clear();
        }
        while (table.MoveNext())
        {
            if ((++scan.Rows & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            var line = scan.LastLine = table.Line;
            if (table.ColumnCount != width && !Ragged(table, width, line, scan)) continue;
            var area = areaColumn.Get(table[layout.AreaColumn]);
            var major = majorColumn.Get(table[layout.MajorColumn]);
            var minor = minorColumn.Get(table[layout.MinorColumn]);
            var rowOk = areaColumn.Check(area, "area name", ExtractCells.MaxAreaName, line, layout.AreaColumn, layout, scan)
                & majorColumn.Check(major, "major category", ExtractCells.MaxCategoryName, line, layout.MajorColumn, layout, scan)
                & minorColumn.Check(minor, "minor category", ExtractCells.MaxCategoryName, line, layout.MinorColumn, layout, scan);
            // The small-area cell, read once (every row of an LSOA file has a different one).
            var smallCell = layout.SmallAreaColumn is { } sc ? table[sc].Trim() : default;
            if (smallCell.Length > 20)
            {
                scan.Problem(line, layout.SmallAreaColumn, layout, $"'{ImportProblem.Shown(smallCell)}' is not a small-area code: LSOA and ward codes are at most 20 characters.");
                rowOk = false;
            }
            var areaKey = names.AreaKey(area);
            var categoryKey = names.CategoryKey(major, minor);
            // A repeated row is one with the same area and the same published names; rows whose names differ but mean
            // one category (a rename's old and new spelling, both in one release) are added together, not refused.
            var spelling = names.Spelling(major, minor);
            if (rowOk && !ReferenceEquals(areaKey, lastCovered.Key) && scan.Areas.TryAdd(areaKey, area.Trim()))
            {
                // A name new to this file: is it one the portal knows? The loading side supplies the known names once it
                // has read them; until then new names wait in a short list, so the read never waits for the database.
                newAreas.Add((areaKey, area.Trim(), line));
                CheckNewAreas(wait: newAreas.Count >= PendingAreas);
            }

            long rowTotal = 0;
            if (layout.IsLong)
            {
                var ok = ExtractCells.TryCount(table[layout.ValueColumn!.Value], out var value);
                if (!ok) scan.Problem(line, layout.ValueColumn, layout, ExtractCells.CountProblem(table[layout.ValueColumn!.Value]));
                var yearOk = ExtractCells.TryCount(table[layout.YearColumn!.Value], out var year) && year is >= 1000 and <= 9999;
                if (!yearOk) scan.Problem(line, layout.YearColumn, layout, $"'{ImportProblem.Shown(table[layout.YearColumn!.Value])}' is not a year (four digits).");
                var monthOk = ExtractCells.TryCount(table[layout.MonthColumn!.Value], out var month) && month is >= 1 and <= 12;
                if (!monthOk) scan.Problem(line, layout.MonthColumn, layout, $"'{ImportProblem.Shown(table[layout.MonthColumn!.Value])}' is not a month (1 to 12).");
                var ym = year * 100 + month;
                if (yearOk && monthOk && ExtractLayout.MonthProblem(year, month, latest) is { } outOfRange)
                {
                    scan.Problem(line, layout.YearColumn, layout, outOfRange);
                    yearOk = false;
                }
                if (yearOk && monthOk && rowOk)
                {
                    if (duplicates.Add(areaKey, spelling, smallCell, year, month, out var small, out var smallId, out var areaId) is { } repeated)
                        scan.Problem(line, null, layout, repeated);
                    SeeSmallArea(small, smallId, areaId, areaKey, line);
                    // Rows come grouped: only a change of area or month needs the sets.
                    if (!ReferenceEquals(areaKey, lastCovered.Key) || ym != lastCovered.Month)
                    {
                        scan.Months.Add(ym);
                        scan.Covered.Add((areaKey, ym));
                        lastCovered = (areaKey, ym);
                    }
                    // The small-area code's one string per code comes from the duplicate check's own look-up.
                    if (ok && value != 0) Emit(new ReadCount(area, areaKey, major, minor, categoryKey, small, ym, value));
                }
                rowTotal = ok ? value : 0;
            }
            else
            {
                var allOk = true;
                for (var i = 0; i < monthValues.Length; i++)
                {
                    var column = layout.MonthColumns[i].Column;
                    if (ExtractCells.TryCount(table[column], out monthValues[i])) rowTotal += monthValues[i];
                    else
                    {
                        allOk = false;
                        scan.Problem(line, column, layout, ExtractCells.CountProblem(table[column]));
                    }
                }
                string? small = null;
                var (smallId, areaId) = (0, 0);
                if (rowOk && duplicates.Add(areaKey, spelling, smallCell, 0, 0, out small, out smallId, out areaId) is { } repeated)
                    scan.Problem(line, null, layout, repeated);
                if (rowOk) SeeSmallArea(small, smallId, areaId, areaKey, line);
                if (boroughTotals is not null && allOk && rowOk)
                {
                    // A small-area file's row without a code is the borough's own total: its counts are the wards' sum,
                    // checked once the whole file is read, and are not counted a second time.
                    if (smallCell.Length == 0)
                    {
                        boroughTotals[(areaKey, spelling)] = new BoroughTotal(line, area, major, minor, categoryKey, (int[])monthValues.Clone());
                        continue;
                    }
                    ref var sums = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(wardSums!, (areaKey, spelling), out _);
                    sums ??= new long[monthValues.Length];
                    for (var i = 0; i < monthValues.Length; i++) sums[i] += monthValues[i];
                }
                if (allOk && rowOk && rowTotal != 0)
                {
                    for (var i = 0; i < monthValues.Length; i++)
                        if (monthValues[i] != 0) Emit(new ReadCount(area, areaKey, major, minor, categoryKey, small, monthKeys[i], monthValues[i]));
                }
            }
            // A zero row of the previous row's category adds nothing: most rows of small-area files are zeros.
            if (rowOk && (rowTotal != 0 || (!ReferenceEquals(spelling, lastCategory) && !scan.Spellings.ContainsKey(spelling))))
            {
                ref var spelt = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scan.Spellings, spelling, out var exists);
                spelt = exists ? spelt with { Total = spelt.Total + rowTotal } : (categoryKey, major.Trim(), minor.Trim(), rowTotal);
            }
            if (rowOk) lastCategory = spelling;
        }
        CheckNewAreas(wait: true);
        if (boroughTotals is not null) CheckBoroughTotals(boroughTotals, wardSums!);
        // Each category once, as first spelt, with the totals of all its spellings.
        foreach (var (key, major, minor, total) in scan.Spellings.Values)
        {
            ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scan.Categories, key, out var seen);
            entry = seen ? entry with { Total = entry.Total + total } : (major, minor, total);
        }
        if (filled > 0 && scan.ProblemCount == 0) queue.Add(new ReadBatch(batch, filled), ct);
        if (!layout.IsLong)
            foreach (var a in scan.Areas.Keys)
                foreach (var m in scan.Months) scan.Covered.Add((a, m));
    }

    /// <summary>A row with more or fewer values than the header: refused, unless the extra values are all empty (trailing commas).</summary>
    private static bool Ragged(IExtractTable table, int width, long line, ExtractScan scan)
    {
        if (table.ColumnCount > width)
        {
            var extra = false;
            for (var c = width; c < table.ColumnCount && !extra; c++) extra = !table[c].IsWhiteSpace();
            if (!extra) return true;
        }
        scan.Problem(line, null, null, $"The row has {table.ColumnCount} values; the header has {width}. (A comma inside an unquoted name, or a row cut short?)");
        return false;
    }

    /// <summary>A name cell: not empty, not too long, on one line.</summary>
    private static bool Name(string value, string what, int max, long line, int column, ExtractLayout layout, ExtractScan scan)
    {
        var t = value.AsSpan().Trim();
        if (t.Length == 0) scan.Problem(line, column, layout, $"The {what} is empty.");
        else if (t.ContainsAny('\n', '\r')) scan.Problem(line, column, layout, $"The {what} '{ImportProblem.Shown(t)}' runs over more than one line: a quote left open?");
        else if (t.Length > max) scan.Problem(line, column, layout, $"The {what} '{ImportProblem.Shown(t)}' is {t.Length} characters long; at most {max} are accepted.");
        else return true;
        return false;
    }

    /// <summary>After a clean read: coverage, the measures recomputed, the report and the audit row, all in the transaction.</summary>
    private async Task<ImportReport> FinishAsync(ExtractScan scan, LoadState load, ExtractLayout layout, string fileName, string sha, string who, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var import = load.Import;
        var months = scan.Months.Select(YearMonth.FromYyyyMm).ToList();
        import.Sha256 = sha;
        import.Rows = scan.Rows;
        import.FirstMonth = months[0];
        import.LastMonth = months[^1];
        import.MonthCount = months.Count;
        import.AreaCount = scan.Areas.Count;
        import.CountsStored = load.Stored;
        import.SmallAreaKind = layout.SmallAreaKind;
        await db.SaveChangesAsync(ct);
        if (layout.SmallAreaKind is { } kind) await RecordSmallAreasAsync(scan, kind, months[0], months[^1], ct);

        var (revisionCount, revisions, previous) = await finisher.CoverAndRecomputeAsync(import,
            scan.Covered.Select(c => new ImportCoverage { ImportId = import.Id, AreaId = load.AreaIds[c.Area], Month = YearMonth.FromYyyyMm(c.Month) })
                .OrderBy(c => c.AreaId).ThenBy(c => c.Month.ToYyyyMm()),
            load.Sums.Select(s => new CountSum(s.Key.Area, s.Key.Month, s.Key.Alias, s.Value)).ToList(), ct);
        logger.LogDebug("Import {ImportId}: measures recomputed in {Elapsed} ms", import.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        var unmappedIds = load.Aliases.Values.Where(a => a.CategoryId is null).ToDictionary(a => a.Key, a => a.Id);
        var namesAddedTogether = await NamesAddedTogetherAsync(scan, load, ct);
        var report = new ImportReport
        {
            ImportId = import.Id, FileName = fileName, Sha256 = sha, Layout = layout.Description, Rows = scan.Rows, CountsStored = load.Stored,
            FirstMonth = months[0].ToString(), LastMonth = months[^1].ToString(), MonthCount = months.Count,
            Areas = scan.Areas.Values.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            NewAreas = load.NewAreas.Select(a => a.Name).ToList(),
            TotalsByMajorCategory = scan.Categories.Values.GroupBy(c => AreaNames.Key(c.Major))
                .Select(g => new MajorCategoryTotal(g.First().Major, g.Sum(c => c.Total))).OrderBy(t => t.MajorCategory).ToList(),
            RevisionCount = revisionCount,
            Revisions = revisions,
            UnmappedCategories = scan.Categories.Where(c => unmappedIds.ContainsKey(c.Key))
                .Select(c => new UnmappedCategory(unmappedIds[c.Key], c.Value.Major, c.Value.Minor, c.Value.Total)).OrderBy(u => u.MajorCategory).ThenBy(u => u.MinorCategory).ToList(),
            ReplacedImports = previous.Where(p => p != import.Id).ToList(),
            NamesAddedTogether = namesAddedTogether,
        };
        import.ReportJson = report.ToJson();
        await finisher.AuditAsync(who, import, report, ct);
        return report;
    }

    /// <summary>
    /// A ward or LSOA lies in one borough. A file may also list it under a policing unit that is not a borough (the MPS
    /// lists Heathrow Villages under both Hillingdon and "Aviation Security (SO18)"): its borough is the one borough it
    /// is listed under. Two boroughs in one file, or a borough other than the one earlier imports placed it in, is refused.
    /// </summary>
    private async Task PlaceSmallAreasAsync(ExtractScan scan, ExtractLayout layout, SmallAreaKind kind, Dictionary<string, Area> areasByKey, CancellationToken ct)
    {
        var known = await db.SmallAreas.AsNoTracking().Where(s => s.Kind == kind).Select(s => new { s.Code, s.AreaId }).ToDictionaryAsync(s => s.Code, s => s.AreaId, ct);
        var areaNames = areasByKey.Values.DistinctBy(a => a.Id).ToDictionary(a => a.Id, a => a.Name);
        var word = SmallAreaCodes.Word(kind);
        foreach (var (code, seen) in scan.SmallAreas)
        {
            var places = seen.OtherAreas.Select(o => (Key: o.Key, Line: o.Value)).Prepend((Key: seen.AreaKey, Line: seen.Line))
                .Select(p => (Area: areasByKey.GetValueOrDefault(p.Key), p.Line)).Where(p => p.Area is not null).ToList();
            var boroughs = places.Where(p => p.Area!.Kind == AreaKind.Borough).DistinctBy(p => p.Area!.Id).ToList();
            if (boroughs.Count > 1)
            {
                scan.Problem(boroughs[1].Line, layout.SmallAreaColumn, layout,
                    $"The {word} {code} ({seen.Name}) is under two boroughs: {boroughs[0].Area!.Name} (line {boroughs[0].Line}) and {boroughs[1].Area!.Name} (line {boroughs[1].Line}). A {word} lies in one borough.");
                continue;
            }
            var borough = boroughs.Count == 1 ? boroughs[0].Area : places.FirstOrDefault().Area;
            if (borough is null) continue;
            if (known.TryGetValue(code, out var knownArea) && knownArea != borough.Id && borough.Kind == AreaKind.Borough)
            {
                scan.Problem(boroughs[0].Line, layout.SmallAreaColumn, layout,
                    $"The {word} {code} ({seen.Name}) is in {areaNames.GetValueOrDefault(knownArea, "another borough")} in earlier imports; this file puts it under {borough.Name}.");
                continue;
            }
            seen.Borough = borough;
        }
    }

    /// <summary>The file's wards or LSOAs kept with their names and boroughs; the months they are known for widened.</summary>
    private async Task RecordSmallAreasAsync(ExtractScan scan, SmallAreaKind kind, YearMonth first, YearMonth last, CancellationToken ct)
    {
        var existing = await db.SmallAreas.Where(s => s.Kind == kind).ToDictionaryAsync(s => s.Code, ct);
        var added = new List<SmallArea>();
        foreach (var (code, seen) in scan.SmallAreas)
        {
            if (seen.Borough is null) continue;
            if (!existing.TryGetValue(code, out var area))
            {
                added.Add(new SmallArea { Code = code, Name = seen.Name, Kind = kind, AreaId = seen.Borough.Id, FirstMonth = first, LastMonth = last });
                continue;
            }
            if (last >= area.LastMonth && area.Name != seen.Name) area.Name = seen.Name;
            if (first < area.FirstMonth) area.FirstMonth = first;
            if (last > area.LastMonth) area.LastMonth = last;
        }
        await db.SaveChangesAsync(ct);
        // New codes through the bulk path (an LSOA release brings thousands: tracked one by one they cost the import a second).
        if (added.Count > 0)
            await writer.WriteAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), BulkTables.SmallAreas, added, ct);
    }

    /// <summary>
    /// Categories the file publishes under more than one name: spellings of one key (case and punctuation, the MPS's
    /// 2024 comma), and names in different words mapped to one category (a rename with both names in one release).
    /// </summary>
    private async Task<List<NamesAddedTogether>> NamesAddedTogetherAsync(ExtractScan scan, LoadState load, CancellationToken ct)
    {
        // By the category a name is mapped to; an unmapped name only with its own other spellings.
        var shared = scan.Spellings.Values
            .GroupBy(s => load.Aliases[s.Key].CategoryId is { } id ? $"#{id}" : s.Key)
            .Where(g => g.Count() > 1).ToList();
        if (shared.Count == 0) return [];
        var categoryNames = await db.CrimeCategories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return shared
            .Select(g => new NamesAddedTogether(
                load.Aliases[g.First().Key].CategoryId is { } id ? categoryNames[id] : $"one unmapped category ({scan.Categories[g.First().Key].Minor})",
                g.OrderBy(s => s.Major, StringComparer.Ordinal).ThenBy(s => s.Minor, StringComparer.Ordinal).Select(s => new PublishedName(s.Major, s.Minor, s.Total)).ToList()))
            .OrderBy(n => n.Category, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The previous row's value of a column: consecutive rows mostly repeat it.</summary>
    private sealed class ColumnMemo(NameCache names)
    {
        private string? last;
        /// <summary>The last value found to be a good name: while rows repeat it (as the same string), it is not checked again.</summary>
        private string? good;

        public string Get(ReadOnlySpan<char> value) =>
            last is not null && value.SequenceEqual(last) ? last : last = names.Get(value);

        public bool Check(string value, string what, int max, long line, int column, ExtractLayout layout, ExtractScan scan)
        {
            if (ReferenceEquals(value, good)) return true;
            if (!Name(value, what, max, line, column, layout, scan)) return false;
            good = value;
            return true;
        }
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

        private readonly Dictionary<(string, string), string> spellings = [];
        private (string Major, string Minor, string Spelling) lastSpelling = ("\0", "\0", "");

        /// <summary>Major and minor name exactly as published (only the spaces around them trimmed): what tells a
        /// repeated row from a second spelling of the same category. One string per pair, so callers compare references.</summary>
        public string Spelling(string major, string minor)
        {
            if (ReferenceEquals(major, lastSpelling.Major) && ReferenceEquals(minor, lastSpelling.Minor)) return lastSpelling.Spelling;
            if (!spellings.TryGetValue((major, minor), out var spelling))
                spellings[(major, minor)] = spelling = string.Concat(major.AsSpan().Trim(), "\u001F", minor.AsSpan().Trim());
            lastSpelling = (major, minor, spelling);
            return spelling;
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
