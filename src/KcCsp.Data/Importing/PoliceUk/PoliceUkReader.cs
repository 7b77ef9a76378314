using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KcCsp.Data.Model;
using KcCsp.Domain;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing.PoliceUk;

/// <summary>Where a police.uk row is counted before its local authority is known: an LSOA, or its force when it has no location.</summary>
internal sealed class Place(string? lsoaCode, string? lsoaName, string force, string file, long line)
{
    public string? LsoaCode { get; } = lsoaCode;
    public string? LsoaName { get; } = lsoaName;
    /// <summary>"Falls within" of its first row.</summary>
    public string Force { get; } = force;
    /// <summary>Where it first appears, for a problem found once the database is read.</summary>
    public string File { get; } = file;
    public long Line { get; } = line;
    public long Rows { get; set; }
}

/// <summary>What one read of a police.uk file, folder or zip found: problems, or counts per place, crime type and month.</summary>
internal sealed class PoliceUkRead
{
    public long Rows;
    public int ProblemCount;
    public readonly List<ImportProblem> Problems = [];
    public readonly List<Place> Places = [];
    /// <summary>(place, crime type, month YYYYMM) → crimes, and those charged or summonsed.</summary>
    public readonly Dictionary<(int Place, int Type, int Month), (int Count, int Charged)> Counts = [];
    public readonly SortedSet<int> Months = [];
    public readonly List<string> Files = [];
    public readonly List<string> IgnoredFiles = [];
    /// <summary>Outcome values in neither list of <see cref="PoliceUkOutcomes"/>, with their rows: counted as not charged.</summary>
    public readonly Dictionary<string, long> UnknownOutcomes = [];
    /// <summary>Rows whose crime id an earlier row has: not counted again (up to the cap listed).</summary>
    public readonly List<PoliceUkDuplicate> Duplicates = [];
    public int DuplicateCount;
    public string Sha256 = "";

    public void Problem(string? file, bool several, long line, int? column, string? columnName, string message)
    {
        if (++ProblemCount <= CrimeImporter.ProblemCap)
            Problems.Add(new ImportProblem(line, column is null ? null : column + 1, columnName, several && file is not null ? $"({file}) {message}" : message));
    }
}

/// <summary>
/// Reads police.uk street-level files (<c>Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,
/// LSOA name,Crime type,Last outcome category,Context</c>, one row per crime or ASB incident): a single
/// <c>YYYY-MM-&lt;force&gt;-street.csv</c>, a month's folder <c>YYYY-MM/</c>, or a zip holding such files. Every row is
/// validated; the rows are added up per LSOA (or force, without a location), crime type and month as they are read,
/// so memory grows with the LSOAs and months, not with the rows. No database is needed.
/// </summary>
internal static partial class PoliceUkReader
{
    public static readonly string[] Required = ["Crime ID", "Month", "Falls within", "LSOA code", "LSOA name", "Crime type", "Last outcome category"];

    [GeneratedRegex(@"^(\d{4})-(\d{2})-.+-street\.csv$", RegexOptions.IgnoreCase)]
    private static partial Regex StreetFileName();

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthFolderName();

    [GeneratedRegex(@"^(\d{4})-(\d{2})")]
    private static partial Regex LeadingMonth();

    public static bool IsStreetFile(string name) => name.EndsWith("-street.csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>The month a street file's name gives ("2022-01-kent-street.csv" → 202201), or null.</summary>
    public static int? NameMonth(string name) => StreetFileName().Match(name) is { Success: true } m ? int.Parse(m.Groups[1].Value) * 100 + int.Parse(m.Groups[2].Value) : null;

    /// <summary>The month a folder's or zip's name gives ("2022-01", "2022-01.zip", "2022-01-kent.zip"), or null.</summary>
    public static int? ContainerMonth(string name, bool folder)
    {
        var m = folder ? MonthFolderName().Match(name) : LeadingMonth().Match(name);
        return m.Success ? int.Parse(m.Groups[1].Value) * 100 + int.Parse(m.Groups[2].Value) : null;
    }

    /// <summary>Reads everything at <paramref name="path"/> (a file, a folder or a zip) and hashes the same bytes.</summary>
    public static PoliceUkRead Read(string path, string fileName, PoliceUkInput kind, ExtractLimits limits, YearMonth latest, CancellationToken ct)
    {
        var read = new PoliceUkRead();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var state = new RowState(read, limits, latest);
        switch (kind)
        {
            case PoliceUkInput.File:
                read.Files.Add(fileName);
                HashFile(path, hash);
                using (var stream = File.OpenRead(path))
                    ReadCsv(stream, fileName, NameMonth(fileName), several: false, state, ct);
                break;
            case PoliceUkInput.Folder:
            {
                var folderMonth = ContainerMonth(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), folder: true);
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                foreach (var file in files)
                {
                    var relative = Path.GetRelativePath(path, file).Replace('\\', '/');
                    // The folder's content in a fixed order, names included: the same folder again is recognised.
                    hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
                    if (!IsStreetFile(relative)) { read.IgnoredFiles.Add(relative); continue; }
                    read.Files.Add(relative);
                    HashFile(file, hash);
                    using var stream = File.OpenRead(file);
                    ReadMember(stream, relative, folderMonth, fileName, state, ct);
                }
                break;
            }
            case PoliceUkInput.Zip:
            {
                var zipMonth = ContainerMonth(fileName, folder: false);
                HashFile(path, hash);
                using var zip = ZipFile.OpenRead(path);
                var entries = zip.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')).OrderBy(e => e.FullName, StringComparer.Ordinal).ToList();
                if (entries.Count > limits.MaxZipEntries)
                {
                    read.Problem(fileName, false, 1, null, null, $"{fileName} holds {entries.Count:N0} files; at most {limits.MaxZipEntries:N0} are accepted (Import:Limits:MaxZipEntries).");
                    break;
                }
                var unpacked = entries.Sum(e => e.Length);
                if (unpacked > limits.MaxZipUncompressedBytes)
                {
                    read.Problem(fileName, false, 1, null, null, $"{fileName} unpacks to {unpacked / 1024 / 1024:N0} MB; at most {limits.MaxZipUncompressedBytes / 1024 / 1024:N0} MB are accepted (Import:Limits:MaxZipUncompressedBytes).");
                    break;
                }
                foreach (var entry in entries)
                {
                    if (entry.FullName.EndsWith('/')) continue;
                    if (!IsStreetFile(entry.Name)) { read.IgnoredFiles.Add(entry.FullName); continue; }
                    read.Files.Add(entry.FullName);
                    using var stream = entry.Open();
                    ReadMember(stream, entry.FullName, zipMonth, fileName, state, ct);
                }
                break;
            }
        }
        if (read.Files.Count == 0 && read.ProblemCount == 0)
            read.Problem(fileName, false, 1, null, null, $"{fileName} holds no police.uk street-level file (YYYY-MM-<force>-street.csv){(read.IgnoredFiles.Count > 0 ? $"; it has {string.Join(", ", read.IgnoredFiles.Take(5).Select(f => $"'{ImportProblem.Shown(f)}'"))}" : "")}.");
        read.Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return read;
    }

    /// <summary>A file of a folder or zip: its name's month must be the container's (when the container's name has one).</summary>
    private static void ReadMember(Stream stream, string relative, int? containerMonth, string container, RowState state, CancellationToken ct)
    {
        var name = relative.Split('/')[^1];
        var nameMonth = NameMonth(name);
        // A zip's own folder ("2022-01/2022-01-kent-street.csv") names the month too.
        var parts = relative.Split('/');
        var folderMonth = parts.Length > 1 ? ContainerMonth(parts[^2], folder: true) : null;
        foreach (var (month, what) in new[] { (containerMonth, $"the month of {container}"), (folderMonth, $"its folder's month") })
        {
            if (month is { } m && nameMonth is { } n && m != n)
            {
                state.Read.Problem(relative, true, 1, null, null, $"{name} is the file of {YearMonth.FromYyyyMm(n)}, outside {what} ({YearMonth.FromYyyyMm(m)}).");
                return;
            }
        }
        ReadCsv(stream, relative, nameMonth ?? folderMonth ?? containerMonth, several: true, state, ct);
    }

    /// <summary>The file's bytes into the import's hash (a second read of at most a few tens of MB, from the page cache).</summary>
    private static void HashFile(string path, IncrementalHash hash)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer.AsSpan(0, n));
    }

    /// <summary>State across the files of one import: the crime ids seen, the places and their indexes.</summary>
    private sealed class RowState(PoliceUkRead read, ExtractLimits limits, YearMonth latest)
    {
        public readonly PoliceUkRead Read = read;
        public readonly ExtractLimits Limits = limits;
        public readonly YearMonth Latest = latest;
        /// <summary>Crime ids (64 hex digits in every real file: held as 32 bytes) and where each was first seen.</summary>
        public readonly Dictionary<CrimeId, (int File, long Line, int Content)> Ids = [];
        /// <summary>Ids that are not 64 hex digits (never seen in a real file, but allowed).</summary>
        public readonly Dictionary<string, (int File, long Line, int Content)> OtherIds = [];
        public readonly Dictionary<string, int> Places = [];
        public readonly Dictionary<string, int> NoLocation = [];
        public readonly Dictionary<string, string> Forces = [];
    }

    private readonly record struct CrimeId(ulong A, ulong B, ulong C, ulong D);

    private static bool TryHexId(ReadOnlySpan<char> id, out CrimeId key)
    {
        key = default;
        if (id.Length != 64) return false;
        Span<byte> bytes = stackalloc byte[32];
        if (Convert.FromHexString(id, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        key = new CrimeId(MemoryMarshal.Read<ulong>(bytes), MemoryMarshal.Read<ulong>(bytes[8..]), MemoryMarshal.Read<ulong>(bytes[16..]), MemoryMarshal.Read<ulong>(bytes[24..]));
        return true;
    }

    private static void ReadCsv(Stream stream, string file, int? expectedMonth, bool several, RowState state, CancellationToken ct)
    {
        var read = state.Read;
        var fileIndex = read.Files.Count - 1;
        void Problem(long line, int? column, string? columnName, string message) => read.Problem(file, several, line, column, columnName, message);
        using var text = new BoundedRecordReader(new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), state.Limits.MaxRowCharacters);
        SepReader reader;
        try
        {
            reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        }
        catch (ExtractFormatException e)
        {
            Problem(e.Line, null, null, e.Message);
            return;
        }
        using (reader)
        {
            try
            {
                if (!reader.MoveNext())
                {
                    Problem(1, null, null, "The file is empty: there is no header line.");
                    return;
                }
                var header = new string[reader.Current.ColCount];
                for (var i = 0; i < header.Length; i++) header[i] = reader.Current[i].ToString().Trim().TrimStart('\uFEFF');
                int Col(string name) => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
                var missing = Required.Where(r => Col(r) < 0).ToList();
                if (missing.Count > 0)
                {
                    Problem(1, null, null, $"This is not a police.uk street-level file: its header lacks {string.Join(", ", missing.Select(m => $"'{m}'"))}. " +
                        $"The header is '{ImportProblem.Shown(string.Join(",", header), 120)}'; police.uk's is '{string.Join(",", Required)}' (with Reported by, Longitude, Latitude, Location, Context).");
                    return;
                }
                var (idCol, monthCol, forceCol, codeCol, nameCol, typeCol, outcomeCol) =
                    (Col("Crime ID"), Col("Month"), Col("Falls within"), Col("LSOA code"), Col("LSOA name"), Col("Crime type"), Col("Last outcome category"));
                var width = header.Length;
                var typeIndex = PoliceUkCategories.CrimeTypes.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
                var places = state.Places.GetAlternateLookup<ReadOnlySpan<char>>();
                var noLocation = state.NoLocation.GetAlternateLookup<ReadOnlySpan<char>>();
                var forces = state.Forces.GetAlternateLookup<ReadOnlySpan<char>>();
                var (lastMonthText, lastMonth) = ("", 0);
                while (reader.MoveNext())
                {
                    var row = reader.Current;
                    if (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) continue;
                    if ((++read.Rows & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
                    var line = row.LineNumberFrom;
                    if (row.ColCount != width)
                    {
                        var onlyEmptyExtra = row.ColCount > width;
                        for (var c = width; c < row.ColCount && onlyEmptyExtra; c++) onlyEmptyExtra = row[c].Span.IsWhiteSpace();
                        if (!onlyEmptyExtra)
                        {
                            Problem(line, null, null, $"The row has {row.ColCount} values; the header has {width}. (A comma inside an unquoted value, or a row cut short?)");
                            continue;
                        }
                    }
                    var ok = true;

                    // Month: YYYY-MM, the file's own month.
                    var monthCell = row[monthCol].Span.Trim();
                    int month;
                    if (monthCell.SequenceEqual(lastMonthText)) month = lastMonth;
                    else if (monthCell.Length == 7 && monthCell[4] == '-' && int.TryParse(monthCell[..4], out var y) && int.TryParse(monthCell[5..], out var mm) && mm is >= 1 and <= 12 && y >= 2000)
                    {
                        month = y * 100 + mm;
                        if (YearMonth.FromYyyyMm(month) > state.Latest)
                        {
                            Problem(line, monthCol, header[monthCol], $"The month {monthCell} is after this month ({state.Latest}).");
                            ok = false;
                        }
                        else (lastMonthText, lastMonth) = (monthCell.ToString(), month);
                    }
                    else
                    {
                        Problem(line, monthCol, header[monthCol], $"'{ImportProblem.Shown(monthCell)}' is not a month (YYYY-MM, e.g. 2022-01).");
                        month = 0;
                        ok = false;
                    }
                    if (ok && expectedMonth is { } expected && month != expected)
                    {
                        Problem(line, monthCol, header[monthCol], $"The month {monthCell} is outside the file's month, {YearMonth.FromYyyyMm(expected)} (from its name {file.Split('/')[^1]}).");
                        ok = false;
                    }

                    var force = row[forceCol].Span.Trim();
                    if (force.Length == 0 || force.Length > 90)
                    {
                        Problem(line, forceCol, header[forceCol], force.Length == 0 ? "'Falls within' (the force) is empty." : $"'Falls within' is {force.Length} characters long; at most 90 are accepted.");
                        ok = false;
                    }

                    var type = PoliceUkCategories.Find(row[typeCol].Span);
                    if (type is null)
                    {
                        var cell = row[typeCol].Span.Trim();
                        Problem(line, typeCol, header[typeCol], cell.Length == 0
                            ? "The crime type is empty."
                            : $"'{ImportProblem.Shown(cell)}' is not one of police.uk's crime types ({string.Join(", ", PoliceUkCategories.CrimeTypes.Where(t => t.Until is null).Select(t => t.Name))}).");
                        ok = false;
                    }

                    var code = row[codeCol].Span.Trim();
                    var lsoaName = row[nameCol].Span.Trim();
                    if (code.Length > 0 && (code.Length > 20 || SmallAreaCodes.Problem(SmallAreaKind.Lsoa, code.ToString()) is not null))
                    {
                        Problem(line, codeCol, header[codeCol], $"'{ImportProblem.Shown(code)}' is not an LSOA code: LSOA codes are E01 or W01 and six digits (E01002840).");
                        ok = false;
                    }
                    else if (lsoaName.Length > 200)
                    {
                        Problem(line, nameCol, header[nameCol], $"The LSOA name is {lsoaName.Length} characters long; at most 200 are accepted.");
                        ok = false;
                    }
                    if (!ok || read.ProblemCount > 0)
                    {
                        // Once a problem is found nothing will be kept: keep validating, stop adding up.
                        continue;
                    }

                    // Crime ID: a crime is counted once. Real files repeat a few ids (the same crime with another
                    // outcome or LSOA, or an exact copy of the row): the first row counts, the repeat is reported by line.
                    // Anti-social behaviour rows have no id and are never repeats.
                    var id = row[idCol].Span.Trim();
                    if (id.Length > 0)
                    {
                        var content = string.GetHashCode(row.Span);
                        (int File, long Line, int Content) first;
                        bool repeated;
                        if (TryHexId(id, out var key))
                        {
                            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(state.Ids, key, out repeated);
                            if (!repeated) slot = (fileIndex, line, content);
                            first = slot;
                        }
                        else
                        {
                            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(state.OtherIds.GetAlternateLookup<ReadOnlySpan<char>>(), id, out repeated);
                            if (!repeated) slot = (fileIndex, line, content);
                            first = slot;
                        }
                        if (repeated)
                        {
                            if (++read.DuplicateCount <= CrimeImporter.ProblemCap)
                                read.Duplicates.Add(new PoliceUkDuplicate(ImportProblem.Shown(id, 16), read.Files[fileIndex], line, read.Files[first.File], first.Line, first.Content == content));
                            continue;
                        }
                    }

                    var forceName = forces.TryGetValue(force, out var f) ? f : state.Forces[force.ToString()] = force.ToString();
                    int place;
                    if (code.Length == 0)
                    {
                        if (!noLocation.TryGetValue(forceName, out place))
                        {
                            place = read.Places.Count;
                            read.Places.Add(new Place(null, null, forceName, file, line));
                            state.NoLocation[forceName] = place;
                        }
                    }
                    else if (!places.TryGetValue(code, out place))
                    {
                        if (read.Places.Count >= state.Limits.MaxSmallAreas)
                        {
                            Problem(line, codeCol, header[codeCol], $"More than {state.Limits.MaxSmallAreas:N0} LSOAs (Import:Limits:MaxSmallAreas).");
                            continue;
                        }
                        place = read.Places.Count;
                        var codeText = code.ToString();
                        read.Places.Add(new Place(codeText, lsoaName.Length == 0 ? null : lsoaName.ToString(), forceName, file, line));
                        state.Places[codeText] = place;
                    }
                    read.Places[place].Rows++;
                    read.Months.Add(month);
                    var charged = PoliceUkOutcomes.IsChargeOrSummons(row[outcomeCol].Span, out var known);
                    if (!known)
                    {
                        var outcome = row[outcomeCol].Span.Trim();
                        ref var n = ref CollectionsMarshal.GetValueRefOrAddDefault(read.UnknownOutcomes.GetAlternateLookup<ReadOnlySpan<char>>(), outcome.Length > 100 ? outcome[..100] : outcome, out _);
                        n++;
                    }
                    ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(read.Counts, (place, typeIndex[type!], month), out _);
                    count = (count.Count + 1, count.Charged + (charged ? 1 : 0));
                }
            }
            catch (ExtractFormatException e)
            {
                Problem(e.Line, null, null, e.Message);
            }
        }
    }
}

/// <summary>What a police.uk import was given.</summary>
public enum PoliceUkInput { File, Folder, Zip }
