namespace KcCsp.Domain;

/// <summary>Rates per 1,000 residents: how the plan's LAA targets and London ranks are expressed.</summary>
public static class Rate
{
    /// <summary>count × 1000 / population, to two decimals half away from zero (e.g. 25.46).</summary>
    public static decimal Per1000(decimal count, decimal population)
    {
        if (population <= 0)
            throw new ArgumentOutOfRangeException(nameof(population), population, "A population must be greater than zero to give a rate.");
        return Change.RoundHalfAwayFromZero(count * 1000m / population, 2);
    }
}
