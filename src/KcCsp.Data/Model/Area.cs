namespace KcCsp.Data.Model;

public enum AreaKind { Borough, PseudoArea, Region }

public class Area
{
    public int Id { get; set; }
    /// <summary>ONS code (E09000020) where there is one.</summary>
    public string? Code { get; set; }
    public required string Name { get; set; }
    public AreaKind Kind { get; set; }
    /// <summary>Ranked among the 32 London boroughs (the City of London and pseudo-areas are not).</summary>
    public bool InLondonRanking { get; set; }
    /// <summary>The police force whose area it lies in, as police.uk names it ("Metropolitan Police Service",
    /// "West Yorkshire Police"): seeded for London, set by police.uk imports from "Falls within".</summary>
    public string? Force { get; set; }
}

/// <summary>Mid-year population estimate of an area.</summary>
public class Population
{
    public int Id { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }
    public int Year { get; set; }
    public long Value { get; set; }
    public required string Source { get; set; }
}
