using System.Globalization;
using System.Text.RegularExpressions;

namespace KcCsp.Domain;

/// <summary>
/// Where an area stands among the London boroughs by rate per 1,000 residents, phrased as the
/// plan does: "9th lowest", "6th highest". Position 1 is the lowest rate.
/// </summary>
public readonly partial record struct LondonRank(int PositionFromLowest, int Count)
{
    /// <summary>The 32 London boroughs (City of London excluded).</summary>
    public const int LondonBoroughs = 32;

    public int PositionFromLowest { get; init; } = PositionFromLowest >= 1 && PositionFromLowest <= Count
        ? PositionFromLowest
        : throw new ArgumentOutOfRangeException(nameof(PositionFromLowest), PositionFromLowest, $"A rank must be between 1 and the number of areas ranked ({Count}).");

    public int Count { get; init; } = Count;

    /// <summary>Position counted from the highest rate (1 is the highest).</summary>
    public int PositionFromHighest => Count + 1 - PositionFromLowest;

    /// <summary>The lower half reads from the bottom, the upper half from the top.</summary>
    public bool IsInLowerHalf => PositionFromLowest <= Count / 2;

    public string Phrase => IsInLowerHalf
        ? $"{Ordinal(PositionFromLowest)} lowest"
        : $"{Ordinal(PositionFromHighest)} highest";

    public override string ToString() => Phrase;

    /// <summary>1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 101st 111th 112th.</summary>
    public static string Ordinal(int n)
    {
        var lastTwo = Math.Abs(n) % 100;
        var suffix = lastTwo is 11 or 12 or 13
            ? "th"
            : (Math.Abs(n) % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    [GeneratedRegex(@"^\s*=?\s*(?<n>\d+)\s*(st|nd|rd|th)?\s+(?<end>lowest|highest)\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PhrasePattern();

    /// <summary>Reads "9th lowest" (9), "6th highest" (27 of 32); tolerates "9 th lowest" and a tie's "=9th".</summary>
    public static LondonRank Parse(string phrase, int count = LondonBoroughs)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        if (TryParse(phrase, count, out var rank))
            return rank;
        throw new FormatException($"'{phrase}' is not a London rank: expected e.g. \"9th lowest\" or \"6th highest\", between 1 and {count}.");
    }

    public static bool TryParse(string? phrase, out LondonRank rank) => TryParse(phrase, LondonBoroughs, out rank);

    public static bool TryParse(string? phrase, int count, out LondonRank rank)
    {
        rank = default;
        if (phrase is null || count < 1)
            return false;
        var match = PhrasePattern().Match(phrase);
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        if (n < 1 || n > count)
            return false;
        var fromLowest = match.Groups["end"].Value.Equals("lowest", StringComparison.OrdinalIgnoreCase) ? n : count + 1 - n;
        rank = new LondonRank(fromLowest, count);
        return true;
    }

    /// <summary>
    /// Ranks <paramref name="area"/> by rate, lowest first. Ties share the better (lower) position
    /// ("1224" competition ranking), so two boroughs on the same rate read the same. Null when the
    /// area is not in the list. Which areas count as boroughs is the caller's choice.
    /// </summary>
    public static LondonRank? Of(IEnumerable<KeyValuePair<string, decimal>> rateByArea, string area)
    {
        ArgumentNullException.ThrowIfNull(rateByArea);
        ArgumentNullException.ThrowIfNull(area);
        var rates = rateByArea.ToList();
        var mine = rates.FindIndex(r => string.Equals(r.Key, area, StringComparison.OrdinalIgnoreCase));
        if (mine < 0)
            return null;
        var rate = rates[mine].Value;
        var below = rates.Count(r => r.Value < rate);
        return new LondonRank(below + 1, rates.Count);
    }
}
