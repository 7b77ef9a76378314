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

    /// <summary>The layout of a header row, or the problems that stop it being read.</summary>
    public static ExtractLayout? Detect(IReadOnlyList<string> rawHeader, List<ImportProblem> problems)
    {
        var header = rawHeader.Select(h => h.Trim().TrimStart('\uFEFF').Trim()).ToList();
        var keys = header.Select(h => h.ToLowerInvariant()).ToList();
        int? Find(string[] names)
        {
            for (var i = 0; i < keys.Count; i++) if (names.Contains(keys[i])) return i;
            return null;
        }
        var area = Find(AreaNames);
        var major = Find(MajorNames);
        var minor = Find(MinorNames);
        var small = Find(SmallAreaNames);
        var value = Find(["value"]);
        var year = Find(["year"]);
        var month = Find(["month"]);

        var missing = new List<string>();
        if (area is null) missing.Add("an area column (Borough, LookUp_BoroughName, BoroughName, BOCU or borough)");
        if (major is null) missing.Add("a major category column (Major Category, MajorText, Group or major_category)");
        if (minor is null) missing.Add("a minor category column (Minor Category, MinorText, SubGroup or minor_category)");

        var months = new List<(int, YearMonth)>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length == 6 && int.TryParse(keys[i], NumberStyles.None, CultureInfo.InvariantCulture, out var yyyymm))
            {
                var (y, m) = (yyyymm / 100, yyyymm % 100);
                if (m is >= 1 and <= 12 && y is >= 1900 and <= 2200) months.Add((i, new YearMonth(y, m)));
                else problems.Add(new ImportProblem(1, i + 1, header[i], $"'{header[i]}' looks like a month column but is not a month (YYYYMM)."));
            }
        }
        var isLong = value is not null && year is not null && month is not null;
        if (!isLong && months.Count == 0)
            missing.Add("month columns (YYYYMM, e.g. 200804) or value, year and month columns");
        if (missing.Count > 0)
        {
            problems.Add(new ImportProblem(1, null, null,
                $"The header does not look like an MPS crime extract: it has no {string.Join("; no ", missing)}. Header read: {string.Join(",", header.Take(12))}{(header.Count > 12 ? ",…" : "")}"));
            return null;
        }
        var duplicates = months.GroupBy(m => m.Item2).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var d in duplicates) problems.Add(new ImportProblem(1, null, null, $"Month {d.ToYyyyMm()} has more than one column."));

        var named = new[] { area, major, minor, small }.Where(c => c is not null).Select(c => header[c!.Value]);
        var description = isLong
            ? $"long (value, year, month): {string.Join(", ", named)}"
            : $"wide, {months.Count} month columns: {string.Join(", ", named)}";
        return new ExtractLayout
        {
            AreaColumn = area!.Value, MajorColumn = major!.Value, MinorColumn = minor!.Value, SmallAreaColumn = small,
            MonthColumns = isLong ? [] : months, ValueColumn = isLong ? value : null, YearColumn = isLong ? year : null,
            MonthColumn = isLong ? month : null, Description = description, Header = header,
        };
    }
}

/// <summary>One thing wrong with a file: where (line, column) and what.</summary>
public sealed record ImportProblem(long Line, int? Column, string? ColumnName, string Message)
{
    public override string ToString() => Column is null
        ? $"line {Line}: {Message}"
        : $"line {Line}, column {Column} ({ColumnName}): {Message}";
}
