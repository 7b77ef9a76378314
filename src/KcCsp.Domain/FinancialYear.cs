using System.Globalization;

namespace KcCsp.Domain;

/// <summary>
/// The partnership's year: April to March, written "2009/10" and named by the year it starts in.
/// </summary>
public readonly record struct FinancialYear(int StartYear) : IComparable<FinancialYear>
{
    /// <summary>Financial years start in April.</summary>
    public const int FirstMonth = 4;

    public int StartYear { get; init => field = ValidStartYear(value); } = ValidStartYear(StartYear);

    private static int ValidStartYear(int startYear) => startYear is >= 1 and <= 9998
        ? startYear
        : throw new ArgumentOutOfRangeException(nameof(StartYear), startYear, "A financial year must start between 1 and 9998.");

    public YearMonth Start => new(StartYear, FirstMonth);

    public YearMonth End => new(StartYear + 1, FirstMonth - 1);

    public FinancialYear Previous => new(StartYear - 1);

    public FinancialYear Next => new(StartYear + 1);

    public bool Contains(YearMonth month) => month >= Start && month <= End;

    public static FinancialYear Of(YearMonth month) =>
        new(month.Month >= FirstMonth ? month.Year : month.Year - 1);

    public static FinancialYear Of(DateOnly date) => Of(YearMonth.FromDate(date));

    /// <summary>
    /// The month inside this year with the given calendar number: in 2009/10, 4 is April 2009
    /// and 1 is January 2010. Board reports say "to January", so this is how "to month" resolves.
    /// </summary>
    public YearMonth MonthNumbered(int calendarMonth)
    {
        if (calendarMonth is < 1 or > 12)
            throw new ArgumentOutOfRangeException(nameof(calendarMonth), calendarMonth, "A calendar month must be between 1 and 12.");
        return new YearMonth(calendarMonth >= FirstMonth ? StartYear : StartYear + 1, calendarMonth);
    }

    /// <summary>April first, March last.</summary>
    public IEnumerable<YearMonth> Months
    {
        get
        {
            var start = Start;
            for (var i = 0; i < 12; i++)
                yield return start.AddMonths(i);
        }
    }

    /// <summary>Accepts "2009/10", "2009-10", "2009/2010" and "2009-2010".</summary>
    public static FinancialYear Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (TryParseCore(s, out var fy, out var error))
            return fy;
        throw new FormatException(error);
    }

    public static bool TryParse(string? s, out FinancialYear fy) => TryParseCore(s, out fy, out _);

    private static bool TryParseCore(string? s, out FinancialYear fy, out string error)
    {
        fy = default;
        error = $"'{s}' is not a financial year: expected the form 2009/10.";
        if (s is null)
            return false;
        var t = s.Trim();
        var separator = t.IndexOfAny(['/', '-']);
        if (separator != 4)
            return false;
        var startPart = t[..4];
        var endPart = t[5..];
        if (!startPart.All(char.IsAsciiDigit) || endPart.Length is not (2 or 4) || !endPart.All(char.IsAsciiDigit))
            return false;

        var start = int.Parse(startPart, CultureInfo.InvariantCulture);
        var end = int.Parse(endPart, CultureInfo.InvariantCulture);
        var expectedEnd = start + 1;
        var endMatches = endPart.Length == 4 ? end == expectedEnd : end == expectedEnd % 100;
        if (!endMatches)
        {
            // "2009/11" is a typo, not a two-year period: say which year was meant.
            error = $"'{s}' is not a financial year: a financial year runs April to March, so {start} must be followed by {(endPart.Length == 4 ? expectedEnd.ToString(CultureInfo.InvariantCulture) : (expectedEnd % 100).ToString("D2", CultureInfo.InvariantCulture))}.";
            return false;
        }

        if (start is < 1 or > 9998)
            return false;
        fy = new FinancialYear(start);
        return true;
    }

    public int CompareTo(FinancialYear other) => StartYear.CompareTo(other.StartYear);

    public static bool operator <(FinancialYear a, FinancialYear b) => a.StartYear < b.StartYear;
    public static bool operator >(FinancialYear a, FinancialYear b) => a.StartYear > b.StartYear;
    public static bool operator <=(FinancialYear a, FinancialYear b) => a.StartYear <= b.StartYear;
    public static bool operator >=(FinancialYear a, FinancialYear b) => a.StartYear >= b.StartYear;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{StartYear:D4}/{(StartYear + 1) % 100:D2}");
}
