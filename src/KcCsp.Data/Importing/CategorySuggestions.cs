using FuzzySharp;
using KcCsp.Data.Model;

namespace KcCsp.Data.Importing;

/// <summary>A canonical category an unmapped name probably means, with how similar the names are (0–100).</summary>
public sealed record CategorySuggestion(int CategoryId, string Code, string Name, string MajorGroup, int Score);

/// <summary>
/// For a category name nobody has mapped: the canonical categories whose own name, or a name already mapped to them,
/// is closest (FuzzySharp's weighted ratio on the normalised names: word order, case, punctuation and abbreviations do
/// not count). The minor name decides; the major name breaks ties. An analyst confirms a suggestion in one click.
/// </summary>
public sealed class CategorySuggestions
{
    private readonly Dictionary<int, CrimeCategory> byId;
    private readonly List<(int CategoryId, string Major, string Minor)> known;

    /// <param name="mapped">Names already mapped (major "*" for names matched under any major): what each category has been called.</param>
    public CategorySuggestions(IReadOnlyList<CrimeCategory> categories, IEnumerable<(string Major, string Minor, int CategoryId)> mapped)
    {
        byId = categories.ToDictionary(c => c.Id);
        known = categories.Select(c => (c.Id, CategoryNames.Normalise(c.MajorGroup), CategoryNames.Normalise(c.Name)))
            .Concat(mapped.Select(m => (m.CategoryId, m.Major == "*" ? "" : CategoryNames.Normalise(m.Major), CategoryNames.Normalise(m.Minor))))
            .Distinct().ToList();
    }

    public IReadOnlyList<CategorySuggestion> For(string major, string minor, int count = 3)
    {
        var (ma, mi) = (CategoryNames.Normalise(major), CategoryNames.Normalise(minor));
        if (mi.Length == 0) return [];
        var best = new Dictionary<int, (int Score, int Major)>();
        var majorScores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, kMajor, kMinor) in known)
        {
            var score = Fuzz.WeightedRatio(mi, kMinor);
            if (!majorScores.TryGetValue(kMajor, out var majorScore))
                majorScores[kMajor] = majorScore = ma.Length == 0 || kMajor.Length == 0 ? 0 : Fuzz.WeightedRatio(ma, kMajor);
            if (!best.TryGetValue(id, out var b) || (score, majorScore).CompareTo(b) > 0) best[id] = (score, majorScore);
        }
        return best.Where(b => byId.ContainsKey(b.Key))
            .OrderByDescending(b => b.Value.Score).ThenByDescending(b => b.Value.Major).ThenBy(b => byId[b.Key].Code, StringComparer.Ordinal)
            .Take(count)
            .Select(b => new CategorySuggestion(b.Key, byId[b.Key].Code, byId[b.Key].Name, byId[b.Key].MajorGroup, b.Value.Score))
            .ToList();
    }
}
