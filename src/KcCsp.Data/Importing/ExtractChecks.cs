using System.Globalization;
using KcCsp.Domain;

namespace KcCsp.Data.Importing;

/// <summary>The rules a row's cells must meet, shared by every layout.</summary>
internal static class ExtractCells
{
    /// <summary>The longest area name the portal stores.</summary>
    public const int MaxAreaName = 120;

    /// <summary>The longest category name (major or minor) the portal stores; the MPS cuts theirs at 50.</summary>
    public const int MaxCategoryName = 200;

    /// <summary>
    /// A count cell: digits only, 0 to 2,147,483,647 (spaces around are allowed). Signs, decimal points, exponents,
    /// thousands separators and words are refused: a count in an extract is a whole number of offences, and a file that
    /// says otherwise is not read by guessing. Excel cells holding whole numbers arrive as digits.
    /// </summary>
    public static bool TryCount(ReadOnlySpan<char> cell, out int value)
    {
        // The common cell, one to nine ASCII digits, read directly (most of an import's cells are counts, years and
        // months); anything else — spaces, ten digits, signs, words — goes through the same rule in full.
        if (cell.Length is > 0 and <= 9)
        {
            var v = 0;
            foreach (var c in cell)
            {
                var digit = (uint)(c - '0');
                if (digit > 9) return int.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
                v = v * 10 + (int)digit;
            }
            value = v;
            return true;
        }
        return int.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Why a count cell is not a count, in words a person can act on.</summary>
    public static string CountProblem(ReadOnlySpan<char> cell)
    {
        var shown = ImportProblem.Shown(cell);
        var t = cell.Trim();
        if (t.Length == 0) return "The count is empty: a count is a whole number, 0 or more (write 0 for none).";
        if (t[0] == '-' && t.Length > 1) return $"'{shown}' is negative: a count is a whole number, 0 or more.";
        if (t[0] == '+') return $"'{shown}' has a sign: a count is written as digits only.";
        if (t.ContainsAny('.', 'e', 'E') && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return $"'{shown}' is not a whole number: a count is written as digits only (no decimal point or exponent).";
        if (!t.ContainsAnyExcept("0123456789") && t.Length > 0) return $"'{shown}' is larger than the largest count accepted (2,147,483,647).";
        return $"'{shown}' is not a count: a count is a whole number, 0 or more.";
    }
}

/// <summary>
/// Finds rows that say the same thing twice — a second row for one (small area, area, category as published) in a wide
/// file, or for one (small area, area, category as published, month) in a long one — which the importer would otherwise
/// add together. The category is compared as the file spells it: two spellings of one category (a rename's old and new
/// name, both in one release) are two rows whose counts add up, not a repeat.
/// Memory is bounded: each distinct small area, category and combination is counted against a limit, and past a limit
/// the file is refused rather than the check given up silently.
/// </summary>
internal sealed class DuplicateRows(ExtractLimits limits, bool isLong, YearMonth latest)
{
    private const int MaxIds = (1 << 14) - 1;
    private readonly Dictionary<string, int> areas = [];
    private readonly Dictionary<string, int> categories = [];
    private readonly Dictionary<string, int> smallAreas = [];
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> smallLookup;
    private readonly Dictionary<long, int> combinations = [];
    /// <summary>Long files: per combination, one bit per month from <see cref="ExtractLayout.EarliestMonth"/> to the current month.</summary>
    private ulong[] months = [];
    private readonly int words = isLong ? (MonthIndex(latest.Year, latest.Month) + 64) / 64 : 0;
    private (string Key, int Id) lastArea = ("\0", 0), lastCategory = ("\0", 0);
    private bool stopped;

    private static int MonthIndex(int year, int month) => (year - ExtractLayout.EarliestMonth.Year) * 12 + month - 1;

    /// <summary>Records one row; a message when it repeats an earlier one or a limit is passed (only the first time).</summary>
    /// <param name="category">Major and minor name exactly as published, one string per distinct pair.</param>
    /// <param name="smallArea">The trimmed small-area cell, empty where the file has none.</param>
    /// <param name="year">Long files: the row's month (already checked to be in range); ignored for wide files.</param>
    /// <param name="smallAreaCode">The small-area code as one string per distinct code (null where the file has none,
    /// or once a limit has been passed), for the counts the row keeps.</param>
    /// <param name="smallAreaId">This file's number for the small-area code (1, 2, …; 0 where the row has none), and
    /// <paramref name="areaId"/> its number for the area: what a caller compares per row instead of strings.</param>
    public string? Add(string areaKey, string category, ReadOnlySpan<char> smallArea, int year, int month, out string? smallAreaCode, out int smallAreaId, out int areaId)
    {
        smallAreaCode = null;
        smallAreaId = 0;
        areaId = 0;
        if (stopped) return null;
        if (!ReferenceEquals(areaKey, lastArea.Key)) lastArea = (areaKey, Id(areas, areaKey));
        if (!ReferenceEquals(category, lastCategory.Key)) lastCategory = (category, Id(categories, category));
        if (lastArea.Id > MaxIds) return Stop($"The file has more than {MaxIds:N0} different area names.");
        if (lastCategory.Id > Math.Min(MaxIds, limits.MaxCategories))
            return Stop($"The file has more than {limits.MaxCategories:N0} different categories (Import:Limits:MaxCategories): MPS extracts have fewer than 100. Are the category columns right?");
        var small = 0;
        if (smallArea.Length > 0)
        {
            if (smallAreas.Count == 0) smallLookup = smallAreas.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!smallLookup.TryGetValue(smallArea, out smallAreaCode, out small))
            {
                if (smallAreas.Count >= limits.MaxSmallAreas)
                    return Stop($"The file has more than {limits.MaxSmallAreas:N0} different small-area codes (Import:Limits:MaxSmallAreas): London has about 5,000 LSOAs and 700 wards.");
                small = smallAreas.Count + 1;
                smallAreaCode = smallArea.ToString();
                smallAreas[smallAreaCode] = small;
            }
        }
        (smallAreaId, areaId) = (small, lastArea.Id);
        var key = ((long)small << 28) | ((long)lastArea.Id << 14) | (long)lastCategory.Id;
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(combinations, key, out var seen);
        if (!isLong) return seen ? Repeated(null) : null;
        if (!seen)
        {
            if (combinations.Count > limits.MaxRowKeys)
                return Stop($"The file has more than {limits.MaxRowKeys:N0} different small area × area × category combinations (Import:Limits:MaxRowKeys).");
            slot = combinations.Count - 1;
            if ((long)(slot + 1) * words > months.Length) Array.Resize(ref months, Math.Max(1024, months.Length * 2));
        }
        var bit = MonthIndex(year, month);
        ref var word = ref months[slot * words + bit / 64];
        var mask = 1UL << (bit % 64);
        if ((word & mask) != 0) return Repeated(new YearMonth(year, month));
        word |= mask;
        return null;
    }

    private static int Id(Dictionary<string, int> ids, string key)
    {
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ids, key, out var exists);
        if (!exists) id = ids.Count;
        return id;
    }

    private static string Repeated(YearMonth? month) =>
        $"This row repeats an earlier row's area, category names{(month is null ? "" : $", month {month}")} (and small-area code): " +
        "each may have one row, or its counts would be added together.";

    private string Stop(string message)
    {
        stopped = true;
        return message;
    }
}
