using System.Text.Json;
using KcCsp.Data.Model;

namespace KcCsp.Data.Importing.PoliceUk;

/// <summary>One of police.uk's crime types, as its files print it, and the categories it is counted under.</summary>
public sealed record PoliceUkCrimeType(string Name, bool HasOutcomes, string? Until)
{
    /// <summary>"Violence and sexual offences" → "violence-and-sexual-offences".</summary>
    public string Slug => PoliceUkCategories.Slug(Name);
    /// <summary>The category of every crime of this type: "police-uk-burglary".</summary>
    public string Code => "police-uk-" + Slug;
    /// <summary>The category of its crimes charged or summonsed: "police-uk-burglary-charged" (null without outcomes).</summary>
    public string? ChargedCode => HasOutcomes ? Code + "-charged" : null;
}

/// <summary>
/// police.uk's crime types (Seed/police-uk-categories.json): the categories of the taxonomy "police.uk", and the names
/// the importer accepts in a street-level file's "Crime type" column. Read by the seeder and by the reader (which
/// checks every row before the database is needed).
/// </summary>
public static class PoliceUkCategories
{
    /// <summary>The major name of the aliases of the crime types' categories, and their categories' major group.</summary>
    public const string Major = "police.uk";
    /// <summary>The major name of the aliases of the charged-or-summonsed categories.</summary>
    public const string ChargedMajor = "police.uk charged or summonsed";

    private sealed record SeedFile(List<PoliceUkCrimeType> CrimeTypes);

    public static readonly IReadOnlyList<PoliceUkCrimeType> CrimeTypes = Load();

    private static readonly Dictionary<string, PoliceUkCrimeType> ByName =
        CrimeTypes.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    private static List<PoliceUkCrimeType> Load()
    {
        var file = Seed.PlanSeedFile.Load<SeedFile>("police-uk-categories.json");
        return file.CrimeTypes;
    }

    /// <summary>The crime type a cell names (case and surrounding spaces ignored), or null.</summary>
    public static PoliceUkCrimeType? Find(ReadOnlySpan<char> name)
    {
        var lookup = ByName.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(name.Trim(), out var t) ? t : null;
    }

    public static string Slug(string name)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().TrimEnd('-');
    }

    /// <summary>The canonical categories, with the (major, minor) alias that names each in the import.</summary>
    public static IEnumerable<(CrimeCategory Category, string Major, string Minor)> Categories()
    {
        foreach (var t in CrimeTypes)
        {
            yield return (new CrimeCategory { Code = t.Code, Name = $"{t.Name} (police.uk)", MajorGroup = Major, Taxonomy = CrimeSources.PoliceUk }, Major, t.Name);
            if (t.ChargedCode is { } charged)
                yield return (new CrimeCategory { Code = charged, Name = $"{t.Name}: charged or summonsed (police.uk)", MajorGroup = Major, Taxonomy = CrimeSources.PoliceUk }, ChargedMajor, t.Name);
        }
    }

    public static string AliasKey(PoliceUkCrimeType type) => CategoryNames.Key(Major, type.Name);

    public static string ChargedAliasKey(PoliceUkCrimeType type) => CategoryNames.Key(ChargedMajor, type.Name);
}
