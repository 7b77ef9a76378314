using System.Text.Json;
using System.Text.Json.Serialization;

namespace KcCsp.Data.Importing;

/// <summary>What an import held and what it changed: stored with the import as JSON, printed by the CLI, shown on the Imports page.</summary>
public sealed record ImportReport
{
    public int ImportId { get; init; }
    public required string FileName { get; init; }
    public required string Sha256 { get; init; }
    public required string Layout { get; init; }
    public long Rows { get; init; }
    public long CountsStored { get; init; }
    public string? FirstMonth { get; init; }
    public string? LastMonth { get; init; }
    public int MonthCount { get; init; }
    public List<string> Areas { get; init; } = [];
    /// <summary>Area names no earlier file had: added as areas outside the London ranking (airports, "Unknown").</summary>
    public List<string> NewAreas { get; init; } = [];
    public List<MajorCategoryTotal> TotalsByMajorCategory { get; init; } = [];
    /// <summary>Area-months whose measures changed value, as counted (the list itself is capped).</summary>
    public int RevisionCount { get; init; }
    public List<Revision> Revisions { get; init; } = [];
    public List<UnmappedCategory> UnmappedCategories { get; init; } = [];
    /// <summary>Categories that the file names in more than one way (a rename, with the old and the new name both
    /// published): their counts are added together.</summary>
    public List<NamesAddedTogether> NamesAddedTogether { get; init; } = [];
    /// <summary>Earlier imports that were authoritative for some of the area-months this one now covers.</summary>
    public List<int> ReplacedImports { get; init; } = [];
    /// <summary>A police.uk import's own findings (absent for MPS extracts, whose report is unchanged).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PoliceUkSummary? PoliceUk { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ImportReport? FromJson(string json) =>
        string.IsNullOrWhiteSpace(json) || json == "{}" ? null : JsonSerializer.Deserialize<ImportReport>(json, Json);
}

public sealed record MajorCategoryTotal(string MajorCategory, long Total);

/// <summary>An area-month whose figures an import (or a rollback, or a new mapping) changed: each measure from what to what.</summary>
public sealed record Revision(string Area, string Month, List<MeasureChange> Changes);

public sealed record MeasureChange(string Measure, long? From, long? To);

/// <summary>Several names in one file that mean one category (mapped to it, or spelt alike but for case and punctuation).</summary>
public sealed record NamesAddedTogether(string Category, List<PublishedName> Names)
{
    /// <summary>"2 names in this file map to Public fear, alarm or distress: 'PUBLIC ORDER OFFENCES / PUBLIC FEAR ALARM OR DISTRESS' (1,234), …"</summary>
    public string Sentence =>
        $"{Names.Count} names in this file map to {Category}: {string.Join(", ", Names.Select(n => $"'{n.MajorCategory} / {n.MinorCategory}' ({n.Total:N0})"))}; their counts are added together.";
}

public sealed record PublishedName(string MajorCategory, string MinorCategory, long Total);

public sealed record UnmappedCategory(int AliasId, string MajorCategory, string MinorCategory, long Total);

public sealed record ValidationReport(string FileName, int ProblemCount, List<ImportProblem> Problems)
{
    public bool Truncated => ProblemCount > Problems.Count;
}

public enum ImportOutcomeKind { Imported, AlreadyImported, Invalid }

public sealed record ImportOutcome(ImportOutcomeKind Kind, string Message, ImportReport? Report = null, ValidationReport? Validation = null, int? ImportId = null);

/// <summary>What a police.uk import adds to its report: where its rows were counted, and how each local authority was found.</summary>
public sealed record PoliceUkSummary
{
    public List<string> Files { get; init; } = [];
    /// <summary>Files of the folder or zip that are not street-level files (outcomes, stop and search): not read.</summary>
    public List<string> IgnoredFiles { get; init; } = [];
    public List<PoliceUkAuthority> LocalAuthorities { get; init; } = [];
    /// <summary>Rows without a location, counted for their force's pseudo-area.</summary>
    public List<PoliceUkForceRows> NoLocation { get; init; } = [];
    /// <summary>Rows whose LSOA lies in another force's local authority (a few per file, near the force's edge): counted
    /// for the force's "(other forces' areas)" pseudo-area, not for that local authority, whose own force's file is authoritative.</summary>
    public List<PoliceUkOtherForceRows> OtherForcesAreas { get; init; } = [];
    /// <summary>Crimes per crime type, and how many of them were charged or summonsed.</summary>
    public List<PoliceUkTypeTotal> CrimeTypes { get; init; } = [];
    /// <summary>Rows repeating an earlier row's crime ID: the crime is counted once, as its first row says (the list is capped).</summary>
    public int DuplicateRows { get; init; }
    public List<PoliceUkDuplicate> DuplicateCrimeIds { get; init; } = [];
    /// <summary>"Last outcome category" values the importer does not know: counted as not charged.</summary>
    public List<PoliceUkOutcomeCount> UnknownOutcomes { get; init; } = [];
}

/// <param name="AssignedBy">"ONS lookup" or "LSOA name" (the name's prefix: "Leeds 001A" → Leeds); "ONS lookup and LSOA name" when both served.</param>
public sealed record PoliceUkAuthority(string Name, string? Code, string Force, string AssignedBy, long Rows, int Lsoas, bool New);

public sealed record PoliceUkForceRows(string Force, string Area, long Rows);

public sealed record PoliceUkOtherForceRows(string Force, string LocalAuthority, string? LocalAuthorityForce, long Rows);

public sealed record PoliceUkTypeTotal(string CrimeType, long Crimes, long? ChargedOrSummonsed);

public sealed record PoliceUkOutcomeCount(string Outcome, long Rows);

/// <param name="SameRow">The repeat is the first row again, byte for byte; otherwise it differs (another outcome, another LSOA).</param>
public sealed record PoliceUkDuplicate(string CrimeId, string File, long Line, string FirstFile, long FirstLine, bool SameRow)
{
    public string Sentence => $"{File} line {Line}: crime ID {CrimeId} is also on {(FirstFile == File ? "" : FirstFile + " ")}line {FirstLine}" +
        $"{(SameRow ? " (the same row again)" : " (with different content)")}; counted once, as line {FirstLine} says.";
}
