using KcCsp.Domain;

namespace KcCsp.Data.Model;

public enum FigureSource { Published, Manual, Imported }

/// <summary>
/// A value of a measure for an area over a period, with where it came from. Published figures are the
/// plan's own; manual ones are entered by analysts. Monthly values derived from crime extracts live in
/// their own table, written by the importer.
/// </summary>
public class Figure
{
    public int Id { get; set; }
    public int MeasureId { get; set; }
    public Measure? Measure { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }
    public YearMonth From { get; set; }
    public YearMonth To { get; set; }
    public decimal Value { get; set; }
    public FigureSource Source { get; set; }
    /// <summary>Where the number was read: "Plan 2010-2013, Section 2", a survey name, a document.</summary>
    public string SourceNote { get; set; } = "";
    /// <summary>The London rank the plan printed with this figure (position from the lowest rate, of 32).</summary>
    public int? PublishedLondonRank { get; set; }
    /// <summary>The plan's "Meeting target?" verdict printed with this figure.</summary>
    public TargetStatus? PublishedStatus { get; set; }
    public string? EnteredBy { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
}

public static class FigureSources
{
    /// <summary>"published", "manual" or "imported": how pages, files and the API name a figure's source.</summary>
    public static string Word(FigureSource source) => source switch
    {
        FigureSource.Published => "published",
        FigureSource.Manual => "manual",
        FigureSource.Imported => "imported",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };
}
