using KcCsp.Domain;

namespace KcCsp.Data.Model;

/// <summary>
/// A crime category in the partnership's own, stable taxonomy. MPS releases rename and split categories;
/// measures are defined over these, and <see cref="CategoryAlias"/> maps each release's names onto them.
/// </summary>
public class CrimeCategory
{
    public int Id { get; set; }
    /// <summary>Stable slug: "residential-burglary".</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>The major group it belongs to ("Burglary", "Drugs", "Violence against the person").</summary>
    public required string MajorGroup { get; set; }
    /// <summary>Whose categories these are: <see cref="CrimeSources.Mps"/> (the MPS's extracts) or <see cref="CrimeSources.PoliceUk"/>
    /// (police.uk's crime types). A measure adds up categories of one taxonomy, and only imports of that source feed it.</summary>
    public string Taxonomy { get; set; } = CrimeSources.Mps;
}

/// <summary>Where crime counts come from: each source has its own categories and its own authoritative imports.</summary>
public static class CrimeSources
{
    /// <summary>The Metropolitan Police's borough, ward and LSOA extracts (London Datastore).</summary>
    public const string Mps = "mps";
    /// <summary>police.uk street-level crimes and outcomes, one row per crime, any force in England and Wales.</summary>
    public const string PoliceUk = "police.uk";

    public static readonly IReadOnlyList<string> All = [Mps, PoliceUk];

    /// <summary>How a report names the source: "MPS crime extract", "police.uk street-level data".</summary>
    public static string Describe(string source) => source == PoliceUk ? "police.uk street-level data" : "MPS crime extract";
}

/// <summary>A category name exactly as an extract spells it (major + minor), and the canonical category it means.</summary>
public class CategoryAlias
{
    public int Id { get; set; }
    public required string MajorName { get; set; }
    public required string MinorName { get; set; }
    /// <summary>Comparison key of major and minor name (case, spacing, punctuation and the MPS's abbreviations ignored): see <see cref="CategoryNames.Key"/>.</summary>
    public required string Key { get; set; }
    /// <summary>Null while nobody has mapped it: its counts are kept, but no measure includes them.</summary>
    public int? CategoryId { get; set; }
    public CrimeCategory? Category { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? MappedBy { get; set; }
    public DateTimeOffset? MappedAt { get; set; }
}

/// <summary>Which canonical categories a crime-extract measure adds up.</summary>
public class MeasureCategory
{
    public int MeasureId { get; set; }
    public Measure? Measure { get; set; }
    public int CategoryId { get; set; }
    public CrimeCategory? Category { get; set; }
    /// <summary>
    /// An import reports the measure only when its counts include at least one defining category. Most serious violence
    /// counts homicide, but a release that folds GBH into "Violence with Injury" cannot report it from homicide alone.
    /// </summary>
    public bool IsDefining { get; set; } = true;
}

public enum ImportStatus { Applied, RolledBack }

public enum ImportTrigger { Upload, CommandLine, Nightly }

/// <summary>One crime extract loaded into the database: where it came from and what it covered.</summary>
public class CrimeImport
{
    public int Id { get; set; }
    public required string FileName { get; set; }
    /// <summary>Lower-case hex SHA-256 of the file's bytes: the same file again is recognised and not loaded twice.</summary>
    public required string Sha256 { get; set; }
    public required string ImportedBy { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public ImportTrigger Trigger { get; set; }
    /// <summary><see cref="CrimeSources.Mps"/> or <see cref="CrimeSources.PoliceUk"/>: the newest applied import covering
    /// an area-month is authoritative for it among the imports of its own source only.</summary>
    public string Source { get; set; } = CrimeSources.Mps;
    /// <summary>The layout detected from the header, e.g. "wide: Borough,Major Category,Minor Category".</summary>
    public required string Layout { get; set; }
    public long Rows { get; set; }
    public long CountsStored { get; set; }
    public YearMonth FirstMonth { get; set; }
    public YearMonth LastMonth { get; set; }
    public int MonthCount { get; set; }
    public int AreaCount { get; set; }
    public ImportStatus Status { get; set; }
    public DateTimeOffset? RolledBackAt { get; set; }
    public string? RolledBackBy { get; set; }
    /// <summary>The import report (summary, revisions, unmapped categories) as JSON.</summary>
    public string ReportJson { get; set; } = "{}";
    /// <summary>Wards or LSOAs where the file is finer than boroughs: its counts are then also the small areas' counts.</summary>
    public SmallAreaKind? SmallAreaKind { get; set; }
}

/// <summary>How much of an import fell under each category name: what the unmapped-categories banner reads, so that
/// it never has to search the millions of counts.</summary>
public class ImportAlias
{
    public int ImportId { get; set; }
    public int AliasId { get; set; }
    public long Total { get; set; }
}

/// <summary>A monthly count of one category in one area (and small area, where the file has them), as an import read it;
/// only non-zero counts are kept. A bulk fact table: no key, written only by the importer.</summary>
public class CrimeCount
{
    public int ImportId { get; set; }
    public int AreaId { get; set; }
    /// <summary>LSOA or ward code where the file is finer than boroughs.</summary>
    public string? SmallAreaCode { get; set; }
    public int AliasId { get; set; }
    public YearMonth Month { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// An (area, month) an import is authoritative for. The latest applied import of a source covering an area-month supplies
/// all that source's counts for it, whatever their categories: two releases with different taxonomies never add up.
/// </summary>
public class ImportCoverage
{
    public int ImportId { get; set; }
    public int AreaId { get; set; }
    public YearMonth Month { get; set; }
}

/// <summary>A crime-extract measure's monthly value for an area, derived after each import from the authoritative counts.</summary>
public class MeasureMonthValue
{
    public int MeasureId { get; set; }
    public int AreaId { get; set; }
    public YearMonth Month { get; set; }
    public long Value { get; set; }
    /// <summary>The import whose counts this value adds up.</summary>
    public int ImportId { get; set; }
}

/// <summary>What the nightly job last saw at the configured download address (for conditional GETs).</summary>
public class ImportSourceState
{
    public int Id { get; set; }
    public required string Url { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public string? LastSha256 { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public string LastOutcome { get; set; } = "";
}

/// <summary>One run of the nightly import: what it found and did.</summary>
public class NightlyImportRun
{
    public int Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>One line per file or download: "inbox/x.csv: imported as #4", "url: unchanged (304)".</summary>
    public string Log { get; set; } = "";
    public bool Succeeded { get; set; }
}
