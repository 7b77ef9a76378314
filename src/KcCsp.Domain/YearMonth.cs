using System.Globalization;

namespace KcCsp.Domain;

/// <summary>A calendar month: the grain of every crime extract and every measure value.</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    // Invariant English names: board papers are in English whatever the server's culture.
    private static readonly string[] MonthNames =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    // Validated in the initialiser and in init, so neither construction nor `with` makes month 13.
    public int Year { get; init => field = ValidYear(value); } = ValidYear(Year);

    public int Month { get; init => field = ValidMonth(value); } = ValidMonth(Month);

    private static int ValidYear(int year) => year is >= 1 and <= 9999
        ? year
        : throw new ArgumentOutOfRangeException(nameof(Year), year, "A year must be between 1 and 9999.");

    private static int ValidMonth(int month) => month is >= 1 and <= 12
        ? month
        : throw new ArgumentOutOfRangeException(nameof(Month), month, "A month must be between 1 and 12.");

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public FinancialYear FinancialYear => FinancialYear.Of(this);

    /// <summary>The English name of the month, e.g. "April".</summary>
    public string MonthName => MonthNames[Month - 1];

    public static YearMonth FromDate(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Accepts "2009-04" (ISO) and "200904" (the MPS extracts' column headers).</summary>
    public static YearMonth Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (TryParse(s, out var ym))
            return ym;
        throw new FormatException($"'{s}' is not a month: expected YYYY-MM (e.g. 2009-04) or YYYYMM (e.g. 200904).");
    }

    public static bool TryParse(string? s, out YearMonth ym)
    {
        ym = default;
        if (s is null)
            return false;
        var t = s.Trim();
        string yearPart, monthPart;
        if (t.Length == 7 && t[4] == '-')
        {
            yearPart = t[..4];
            monthPart = t[5..];
        }
        else if (t.Length == 6)
        {
            yearPart = t[..4];
            monthPart = t[4..];
        }
        else
        {
            return false;
        }

        if (!AllDigits(yearPart) || !AllDigits(monthPart))
            return false;
        var year = int.Parse(yearPart, CultureInfo.InvariantCulture);
        var month = int.Parse(monthPart, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || year < 1)
            return false;
        ym = new YearMonth(year, month);
        return true;
    }

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    public int ToYyyyMm() => Year * 100 + Month;

    public static YearMonth FromYyyyMm(int yyyymm) => new(yyyymm / 100, yyyymm % 100);

    public YearMonth AddMonths(int n)
    {
        var index = Year * 12 + (Month - 1) + n;
        return new YearMonth(Math.DivRem(index, 12, out var rem), rem + 1);
    }

    /// <summary>other − this, in months (2009-04 until 2010-01 is 9).</summary>
    public int MonthsUntil(YearMonth other) => (other.Year * 12 + other.Month) - (Year * 12 + Month);

    public int CompareTo(YearMonth other) => ToYyyyMm().CompareTo(other.ToYyyyMm());

    public static bool operator <(YearMonth a, YearMonth b) => a.CompareTo(b) < 0;
    public static bool operator >(YearMonth a, YearMonth b) => a.CompareTo(b) > 0;
    public static bool operator <=(YearMonth a, YearMonth b) => a.CompareTo(b) <= 0;
    public static bool operator >=(YearMonth a, YearMonth b) => a.CompareTo(b) >= 0;

    public static YearMonth Max(YearMonth a, YearMonth b) => a >= b ? a : b;
    public static YearMonth Min(YearMonth a, YearMonth b) => a <= b ? a : b;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>"January 2010".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{MonthName} {Year}");
}
