using KcCsp.Domain;

namespace KcCsp.Data.Model;

/// <summary>What a small-area code in an extract is: a ward (WardCode) or a lower-layer super output area (LSOA Code).</summary>
public enum SmallAreaKind { Ward = 1, Lsoa = 2 }

/// <summary>
/// A ward or LSOA as MPS extracts publish it: its code as published (ward boundaries change, and releases of different
/// years use different codes; a code is never translated into another), its name, and the borough it belongs to.
/// Made and kept up to date by the importer: every file that lists the code (even with zero counts) widens the months it
/// is known for, which is what says whether two periods compare like with like.
/// </summary>
public class SmallArea
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SmallAreaKind Kind { get; set; }
    /// <summary>The borough it lies in.</summary>
    public int AreaId { get; set; }
    public Area? Area { get; set; }
    /// <summary>The first and last month of the files that list it.</summary>
    public YearMonth FirstMonth { get; set; }
    public YearMonth LastMonth { get; set; }
}

/// <summary>The boundary sets small-area codes come from: GSS codes of wards (E05, W05) and LSOAs (E01, W01), nine characters.</summary>
public static class SmallAreaCodes
{
    /// <summary>Why a code is in no known boundary set for its kind, or null when it is a ward or LSOA code.</summary>
    public static string? Problem(SmallAreaKind kind, string code)
    {
        var prefix = kind == SmallAreaKind.Ward ? "05" : "01";
        var ok = code.Length == 9 && code[0] is 'E' or 'W' && code[1] == prefix[0] && code[2] == prefix[1] && code.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;
        if (ok) return null;
        return kind == SmallAreaKind.Ward
            ? $"Ward code '{Importing.ImportProblem.Shown(code)}' is in no known boundary set: ward codes are E05 and six digits (E05009388, E05013737)."
            : $"LSOA code '{Importing.ImportProblem.Shown(code)}' is in no known boundary set: LSOA codes are E01 and six digits (E01002840).";
    }

    public static string Word(SmallAreaKind kind) => kind == SmallAreaKind.Ward ? "ward" : "LSOA";
}

/// <summary>A ward's mid-year population estimate (ONS ward-level estimates), by the ward code as published.</summary>
public class SmallAreaPopulation
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public int Year { get; set; }
    public long Value { get; set; }
    public required string Source { get; set; }
}

/// <summary>
/// One row of an ONS LSOA → local authority district lookup: which local authority an LSOA lies in. When an LSOA's code
/// is here, police.uk imports place it by it; otherwise by its name's prefix ("Leeds 001A" → Leeds).
/// </summary>
public class LsoaLookup
{
    public required string LsoaCode { get; set; }
    public required string LsoaName { get; set; }
    public required string LadCode { get; set; }
    public required string LadName { get; set; }
}
