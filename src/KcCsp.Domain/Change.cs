using System.Globalization;

namespace KcCsp.Domain;

/// <summary>The board's "% +/-" column: percentage change against the previous period.</summary>
public static class Change
{
    /// <summary>
    /// (current − previous) / previous × 100, to one decimal place half away from zero
    /// (3582 → 3374 is −5.8). Null when there is nothing to compare with (previous is 0).
    /// </summary>
    public static decimal? Percent(decimal current, decimal previous)
    {
        if (previous == 0)
            return null;
        // Multiply before dividing so exact halves (−0.05) stay exact in decimal.
        return RoundHalfAwayFromZero((current - previous) * 100m / previous, 1);
    }

    /// <summary>"-5.8%", "+14.4%", "0.0%"; "n/a" when there is no percentage.</summary>
    public static string Format(decimal? percent)
    {
        if (percent is not { } value)
            return "n/a";
        var rounded = RoundHalfAwayFromZero(value, 1);
        if (rounded == 0)
            return "0.0%"; // never "-0.0%" or "+0.0%"
        var sign = rounded > 0 ? "+" : "-";
        return sign + Math.Abs(rounded).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>
    /// Rounding as people do it by hand (2.25 → 2.3, −0.05 → −0.1), not banker's rounding,
    /// which .NET would otherwise use and which would make a printed figure disagree with the plan.
    /// </summary>
    public static decimal RoundHalfAwayFromZero(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero);
}
