namespace KcCsp.Data.Importing;

/// <summary>
/// Settings under "Import:Limits": what the importer accepts before it refuses a file, so that any file the upload,
/// the inbox or the download accepts is read within bounded memory and time. Defaults fit every real MPS release.
/// </summary>
public sealed class ExtractLimits
{
    public const string Section = "Import:Limits";

    /// <summary>Characters in one row (a wide row with 200 months is about 2,000): a longer one is refused, not buffered.</summary>
    public int MaxRowCharacters { get; set; } = 100_000;

    /// <summary>Area names per file that are neither London boroughs, their known spellings, nor known pseudo-areas.</summary>
    public int MaxUnknownAreas { get; set; } = 5;

    /// <summary>Distinct small-area codes (LSOA or ward) per file: London has about 5,000 LSOAs and 700 wards.</summary>
    public int MaxSmallAreas { get; set; } = 50_000;

    /// <summary>Distinct category names (major + minor) per file: MPS releases have fewer than 100.</summary>
    public int MaxCategories { get; set; } = 2_000;

    /// <summary>Distinct (small area, area, category) combinations per file (duplicate rows are found through them).</summary>
    public int MaxRowKeys { get; set; } = 1_000_000;

    /// <summary>.xlsx: the uncompressed size of the whole workbook (every zip entry together), checked before anything is read.</summary>
    public long MaxExcelUncompressedBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>.xlsx: the uncompressed size of the shared-strings part, which is held in memory while the sheet streams.</summary>
    public long MaxExcelSharedStringsBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>.xlsx/.xls: worksheets in a workbook (the first is read).</summary>
    public int MaxExcelSheets { get; set; } = 50;

    /// <summary>.xlsx/.xls: rows of the first worksheet (its dimension), checked before its rows are read.</summary>
    public int MaxExcelRows { get; set; } = 2_000_000;

    /// <summary>.xlsx/.xls: columns of the first worksheet (its dimension).</summary>
    public int MaxExcelColumns { get; set; } = 1_000;

    /// <summary>police.uk zips: files in one zip (a month of every force is about 130: street, outcomes, stop and search).</summary>
    public int MaxZipEntries { get; set; } = 2_000;

    /// <summary>police.uk zips: the uncompressed size of every entry together, checked before anything is read.</summary>
    public long MaxZipUncompressedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Legacy .xls files are read whole by their reader: their size is capped.</summary>
    public long MaxLegacyExcelBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Area names MPS extracts carry besides boroughs, compared by <see cref="Model.AreaNames.Key"/>.</summary>
    public static readonly string[] KnownPseudoAreas =
    [
        "London Heathrow and London City Airports", "Heathrow", "Aviation Security (SO18)", "Aviation Security(SO18)", "Unknown",
        "City of London", "London", "Inner London", "Outer London", "Westminster Central", "Metropolitan Police",
    ];
}
