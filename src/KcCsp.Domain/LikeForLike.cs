namespace KcCsp.Domain;

/// <summary>
/// A board comparison: the current period against the same months one year earlier
/// (the plan compares April – January 2009/10 with April – January 2008/09).
/// </summary>
public sealed record LikeForLike(Period Current, Period Previous)
{
    public static LikeForLike YearToDate(FinancialYear fy, int toCalendarMonth) =>
        Of(Period.FinancialYearToDate(fy, toCalendarMonth));

    public static LikeForLike Of(Period current) => new(current, current.SameMonthsYearEarlier());
}
