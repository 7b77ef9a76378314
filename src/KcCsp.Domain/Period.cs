namespace KcCsp.Domain;

/// <summary>An inclusive run of whole months, e.g. April 2009 to January 2010.</summary>
public readonly record struct Period(YearMonth From, YearMonth To)
{
    // Checked on construction. `with` is not re-checked: changing both ends one after the other
    // would trip over the half-changed period.
    public YearMonth From { get; init; } = From <= To
        ? From
        : throw new ArgumentException($"A period must not end ({To}) before it starts ({From}).", nameof(To));

    public YearMonth To { get; init; } = To;

    public int MonthCount => From.MonthsUntil(To) + 1;

    public bool Contains(YearMonth month) => month >= From && month <= To;

    public IEnumerable<YearMonth> Months
    {
        get
        {
            var from = From;
            var count = MonthCount;
            for (var i = 0; i < count; i++)
                yield return from.AddMonths(i);
        }
    }

    /// <summary>The like-for-like comparison period: the same months one year earlier.</summary>
    public Period SameMonthsYearEarlier() => new(From.AddMonths(-12), To.AddMonths(-12));

    /// <summary>April to March of one financial year.</summary>
    public bool IsFullFinancialYear => From.Month == FinancialYear.FirstMonth && To == From.FinancialYear.End;

    public static Period SingleMonth(YearMonth month) => new(month, month);

    /// <summary>
    /// April of the year to the named calendar month: 2009/10 to month 1 is April 2009 – January 2010,
    /// the plan's "April – January" board period.
    /// </summary>
    public static Period FinancialYearToDate(FinancialYear fy, int toCalendarMonth) =>
        new(fy.Start, fy.MonthNumbered(toCalendarMonth));

    public static Period FullFinancialYear(FinancialYear fy) => new(fy.Start, fy.End);

    /// <summary>The twelve months ending with (and including) <paramref name="end"/>.</summary>
    public static Period RollingTwelveMonths(YearMonth end) => new(end.AddMonths(-11), end);

    public static Period CalendarYear(int year) => new(new YearMonth(year, 1), new YearMonth(year, 12));

    /// <summary>"2009-04..2010-01": stable, sortable, good for URLs and logs.</summary>
    public override string ToString() => $"{From}..{To}";

    /// <summary>"April 2009 – January 2010" (a single month is just "January 2010"), as a board paper says it.</summary>
    public string Describe() => From == To ? From.Describe() : $"{From.Describe()} – {To.Describe()}";
}
