using System.Globalization;
using KcCsp.Domain;

namespace KcCsp.Data.Importing;

/// <summary>
/// Where an MPS extract keeps what, read from its header. Wide files have one column per month (YYYYMM);
/// long files have value, year and month columns and one row per count.
/// </summary>
public sealed record ExtractLayout
{
    public required int AreaColumn { get; init; }
    public required int MajorColumn { get; init; }
    public required int MinorColumn { get; init; }
    /// <summary>LSOA or ward code, where the file is finer than boroughs.</summary>
    public int? SmallAreaColumn { get; init; }
    /// <summary>What the small-area codes are (from the column's name), where there are any.</summary>
    public Model.SmallAreaKind? SmallAreaKind { get; init; }
    /// <summary>The ward or LSOA name (WardName, LSOA Name), where the file has one.</summary>
    public int? SmallAreaNameColumn { get; init; }
    /// <summary>Wide files: the month each month column holds.</summary>
    public IReadOnlyList<(int Column, YearMonth Month)> MonthColumns { get; init; } = [];
    public int? ValueColumn { get; init; }
    public int? YearColumn { get; init; }
    public int? MonthColumn { get; init; }
    public bool IsLong => ValueColumn is not null;
    /// <summary>Readable description stored with the import: "wide, 108 months: Borough, Major Category, Minor Category".</summary>
    public required string Description { get; init; }
    public required IReadOnlyList<string> Header { get; init; }

    public string ColumnName(int column) => column < Header.Count ? Header[column] : $"column {column + 1}";

    private static readonly string[] AreaNames = ["borough", "lookup_boroughname", "boroughname", "bocu"];
    private static readonly string[] MajorNames = ["major category", "majortext", "group", "major_category"];
    private static readonly string[] MinorNames = ["minor category", "minortext", "subgroup", "minor_category"];
    private static readonly string[] SmallAreaNames = ["lsoa code", "lsoa_code", "wardcode", "ward code"];
    private static readonly string[] WardCodeNames = ["wardcode", "ward code"];
    private static readonly string[] SmallAreaNameNames = ["wardname", "ward name", "lsoa name", "lsoa_name"];

    /// <summary>The earliest month an extract may hold: MPS extracts start in 2008; anything before 2000 is a mistake.</summary>
    public static readonly YearMonth EarliestMonth = new(2000, 1);

    /// <summary>Why a (valid) calendar month cannot be in an extract: before <see cref="EarliestMonth"/> or after the current month.</summary>
    public static string? MonthProblem(int year, int month, YearMonth latest)
    {
        var yyyymm = year * 100 + month;
        if (yyyymm < EarliestMonth.ToYyyyMm())
            return $"Month {year:D4}-{month:D2} is before {EarliestMonth}: an extract holds months from {EarliestMonth} to the current month.";
        if (yyyymm > latest.ToYyyyMm())
            return $"Month {year:D4}-{month:D2} is after the current month ({latest}): an extract holds months from {EarliestMonth} to the current month.";
        return null;
    }

    /// <summary>The layout of a header row, or the problems that stop it being read. Problems found in a header that is
    /// still readable (a duplicated or impossible month column) are added and the layout returned, so that the rows'
    /// problems are listed too; the file is refused either way.</summary>
    /// <param name="latest">The current month: a later month column is refused.</param>
    public static ExtractLayout? Detect(IReadOnlyList<string> rawHeader, List<ImportProblem> problems, YearMonth latest)
    {
        var header = rawHeader.Select(h => h.Trim().TrimStart('\uFEFF').Trim()).ToList();
        var keys = header.Select(h => h.ToLowerInvariant()).ToList();
        int? Find(string[] names, string what)
        {
            int? found = null;
            for (var i = 0; i < keys.Count; i++)
            {
                if (!names.Contains(keys[i])) continue;
                if (found is null) found = i;
                else problems.Add(new ImportProblem(1, i + 1, header[i], $"A second {what} column ('{header[i]}'; the first is column {found + 1}, '{header[found.Value]}'): which one holds the {what}?"));
            }
            return found;
        }
        var area = Find(AreaNames, "area");
        var major = Find(MajorNames, "major category");
        var minor = Find(MinorNames, "minor category");
        var small = Find(SmallAreaNames, "small-area code");
        var smallName = Find(SmallAreaNameNames, "small-area name");
        var value = Find(["value"], "value");
        var year = Find(["year"], "year");
        var month = Find(["month"], "month");

        var missing = new List<string>();
        if (area is null) missing.Add("no area column (Borough, LookUp_BoroughName, BoroughName, BOCU or borough)");
        if (major is null) missing.Add("no major category column (Major Category, MajorText, Group or major_category)");
        if (minor is null) missing.Add("no minor category column (Minor Category, MinorText, SubGroup or minor_category)");

        var months = new List<(int, YearMonth)>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length == 6 && keys[i].All(char.IsAsciiDigit))
            {
                var yyyymm = int.Parse(keys[i], NumberStyles.None, CultureInfo.InvariantCulture);
                var (y, m) = (yyyymm / 100, yyyymm % 100);
                if (m is < 1 or > 12)
                    problems.Add(new ImportProblem(1, i + 1, header[i], $"'{header[i]}' is not a month: a month column is YYYYMM, with the month from 01 to 12."));
                else if (MonthProblem(y, m, latest) is { } problem)
                    problems.Add(new ImportProblem(1, i + 1, header[i], problem));
                else
                    months.Add((i, new YearMonth(y, m)));
            }
        }
        var isLong = value is not null && year is not null && month is not null;
        if (!isLong && months.Count == 0 && !problems.Any(p => p.Line == 1 && p.Column is not null && header[p.Column.Value - 1].All(char.IsAsciiDigit)))
            missing.Add("no month columns (YYYYMM, e.g. 200804) or value, year and month columns");
        if (missing.Count > 0)
        {
            var separator = header.Count == 1 ? new[] { ';', '\t', '|' }.FirstOrDefault(c => header[0].Contains(c)) : default;
            problems.Add(new ImportProblem(1, null, null, separator != default
                ? $"The header is one column with {(separator == '\t' ? "tabs" : $"'{separator}'")} in it: the file separates its values with {(separator == '\t' ? "tabs" : $"'{separator}'")}, not commas. Save it as comma-separated CSV."
                : $"The header does not look like an MPS crime extract. It has {string.Join("; ", missing)}. Header read: {ImportProblem.Shown(string.Join(",", header.Take(12)), 300)}{(header.Count > 12 ? ",…" : "")}"));
            return null;
        }
        if (area is null || major is null || minor is null || (!isLong && months.Count == 0)) return null;
        foreach (var g in months.GroupBy(m => m.Item2).Where(g => g.Count() > 1))
        {
            var columns = g.Select(m => m.Item1 + 1).ToList();
            problems.Add(new ImportProblem(1, columns[1], header[columns[1] - 1], $"Month {g.Key} has {columns.Count} columns ({string.Join(", ", columns)}): each month may have one."));
        }

        var named = new[] { area, major, minor, small }.Where(c => c is not null).Select(c => header[c!.Value]);
        var description = isLong
            ? $"long (value, year, month): {string.Join(", ", named)}"
            : $"wide, {months.Count} month columns: {string.Join(", ", named)}";
        return new ExtractLayout
        {
            AreaColumn = area!.Value, MajorColumn = major!.Value, MinorColumn = minor!.Value, SmallAreaColumn = small,
            SmallAreaKind = small is { } sc ? (WardCodeNames.Contains(keys[sc]) ? Model.SmallAreaKind.Ward : Model.SmallAreaKind.Lsoa) : null,
            SmallAreaNameColumn = small is null ? null : smallName,
            MonthColumns = isLong ? [] : months, ValueColumn = isLong ? value : null, YearColumn = isLong ? year : null,
            MonthColumn = isLong ? month : null, Description = description, Header = header,
        };
    }
}

/// <summary>One thing wrong with a file: where (line, column) and what.</summary>
public sealed record ImportProblem(long Line, int? Column, string? ColumnName, string Message)
{
    /// <summary>A value from the file as a message quotes it: at most <paramref name="max"/> characters, so a report
    /// never echoes more of a file than a cell.</summary>
    public static string Shown(ReadOnlySpan<char> value, int max = 40)
    {
        var clean = value.Length > max ? value[..max].ToString() + "…" : value.ToString();
        return clean.ReplaceLineEndings("⏎");
    }

    public override string ToString() => Column is null
        ? $"line {Line}: {Message}"
        : $"line {Line}, column {Column} ({ColumnName}): {Message}";
}
