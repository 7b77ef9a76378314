namespace KcCsp.Domain;

/// <summary>
/// A change in how the MPS classifies crime, from a given month: residential burglary split into "of a home" and "of an
/// unconnected building" in April 2023, burglary redefined as residential and business in April 2017. It names the
/// canonical categories whose <em>total</em> is continuous across it: a measure counting all of them (or none) compares
/// like with like across the change; a measure counting only some of them does not.
/// </summary>
public sealed record TaxonomyChange(YearMonth From, string Title, string Explanation, IReadOnlySet<string> Categories)
{
    /// <summary>Whether the months of a comparison lie on both sides of the change (either period may straddle it).</summary>
    public bool IsCrossedBy(LikeForLike periods)
    {
        var first = YearMonth.Min(periods.Current.From, periods.Previous.From);
        var last = YearMonth.Max(periods.Current.To, periods.Previous.To);
        return first < From && From <= last;
    }

    /// <summary>What the change means for a comparison of a measure over these categories: null when it does not concern it.</summary>
    public TaxonomyCrossing? Assess(LikeForLike periods, IReadOnlyCollection<string> measureCategories)
    {
        if (!IsCrossedBy(periods)) return null;
        var counted = Categories.Count(measureCategories.Contains);
        if (counted == 0) return null;
        return new TaxonomyCrossing(this, LikeForLike: counted == Categories.Count);
    }
}

/// <summary>A comparison whose months lie on both sides of a taxonomy change, and whether it still compares like with like.</summary>
public sealed record TaxonomyCrossing(TaxonomyChange Change, bool LikeForLike)
{
    public string Statement => LikeForLike
        ? $"This comparison crosses a change in the MPS's categories ({Change.From.Describe()}: {Change.Title}). The measure counts every category the change touches, so it still compares like with like."
        : $"This comparison crosses a change in the MPS's categories ({Change.From.Describe()}: {Change.Title}). The measure counts only some of the categories the change touches, so the two periods are not like for like.";
}
