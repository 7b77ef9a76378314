using System.Security.Cryptography;
using System.Text;

namespace KcCsp.Data.Model;

/// <summary>
/// The MPS spells one category many ways across releases: "Theft From M/V", "Theft from a Motor Vehicle",
/// "THEFT FROM A VEHICLE"; "Criminal Damage To Other Bldg"; "RACE OR RELIGIOUS AGG PUBLIC FEAR"; "PUBLIC FEAR, ALARM OR
/// DISTRESS". The comparison key ignores what does not change the meaning — case, spacing, punctuation, the articles
/// "a", "an", "the" and a plural "s" — and expands the abbreviations the MPS uses, so that a spelling seen once matches
/// every re-spelling of it. Names that differ in words (a renamed category) still need an alias.
/// </summary>
public static class CategoryNames
{
    /// <summary>The key stored on <see cref="CategoryAlias.Key"/>: major and minor name, each normalised.</summary>
    public static string Key(string major, string minor)
    {
        var key = Normalise(major) + "|" + Normalise(minor);
        // The column holds 420 characters; a longer key (only hostile input has one) keeps a prefix and a hash of the rest.
        return key.Length <= 400 ? key : key[..360] + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    /// <summary>The abbreviations seen in MPS category names, by the word they stand for.</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["misc"] = "miscellaneous",
        ["agg"] = "aggravated",
        ["aggr"] = "aggravated",
        ["bldg"] = "building",
        ["bldgs"] = "building",
        ["veh"] = "vehicle",
        ["vehs"] = "vehicle",
        ["unauth"] = "unauthorised",
        ["unauthorized"] = "unauthorised",
        ["res"] = "residential",
        ["resi"] = "residential",
        ["mv"] = "motor vehicle",
        ["poss"] = "possession",
        ["govt"] = "government",
        ["offs"] = "offence",
    };

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "a", "an", "the" };

    /// <summary>"Theft From M/V" → "theft from motor vehicle"; "Other Fraud &amp; Forgery" → "other fraud and forgery".</summary>
    public static string Normalise(string name)
    {
        var text = name.Trim().ToLowerInvariant()
            .Replace("m/v", " motor vehicle ", StringComparison.Ordinal)
            .Replace("&", " and ", StringComparison.Ordinal);
        var words = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0) return;
            var w = word.ToString();
            word.Clear();
            if (Articles.Contains(w)) return;
            if (Abbreviations.TryGetValue(w, out var full))
            {
                words.AddRange(full.Split(' '));
                return;
            }
            words.Add(Singular(w));
        }
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) word.Append(c);
            else Flush();
        }
        Flush();
        return string.Join(' ', words);
    }

    /// <summary>"offences" → "offence", "cycles" → "cycle"; "business", "harassment", "status" stay.</summary>
    private static string Singular(string w) =>
        w.Length > 3 && w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i') ? w[..^1] : w;
}
