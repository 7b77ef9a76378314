using KcCsp.Data.Seed;
using KcCsp.Domain;

namespace KcCsp.Data.Reporting;

/// <summary>
/// The MPS's taxonomy changes (Seed/categories.json, "taxonomyChanges"): facts about the MPS's history, not settings,
/// so they are read from the seed rather than stored. A comparison says which of them it crosses.
/// </summary>
public static class TaxonomyChanges
{
    public static readonly IReadOnlyList<TaxonomyChange> All = PlanSeedFile.Load<CategorySeedFile>("categories.json").TaxonomyChanges?
        .Select(t => new TaxonomyChange(YearMonth.Parse(t.From), t.Title, t.Explanation, t.Categories.ToHashSet()))
        .OrderBy(t => t.From).ToList() ?? [];

    /// <summary>The changes a comparison of a measure over these canonical categories crosses.</summary>
    public static IReadOnlyList<TaxonomyCrossing> CrossedBy(LikeForLike periods, IReadOnlyCollection<string> measureCategories) =>
        All.Select(t => t.Assess(periods, measureCategories)).OfType<TaxonomyCrossing>().ToList();
}
