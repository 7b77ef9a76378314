namespace KcCsp.Domain;

/// <summary>Year-end projection ("on trajectory for 5.3% reduction by year end").</summary>
public static class Projection
{
    /// <summary>
    /// Projects the year to date onto a full year with last year's seasonal profile:
    /// ytd_current × (full_year_previous / ytd_previous), rounded to a whole number half away
    /// from zero. Null when last year's year to date is 0 (no profile to follow).
    /// </summary>
    public static decimal? YearEnd(decimal ytdCurrent, decimal ytdPrevious, decimal fullYearPrevious)
    {
        if (ytdPrevious == 0)
            return null;
        return Change.RoundHalfAwayFromZero(ytdCurrent * fullYearPrevious / ytdPrevious, 0);
    }
}
