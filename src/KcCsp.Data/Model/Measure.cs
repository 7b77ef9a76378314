using KcCsp.Domain;

namespace KcCsp.Data.Model;

public enum MeasureUnit { Count, RatePer1000, Percentage }

/// <summary>Where a measure's figures come from.</summary>
public enum MeasureSource { CrimeExtract, Manual, Survey }

public class Measure
{
    public int Id { get; set; }
    /// <summary>The plan the measure belongs to: codes are unique within a plan, and two partnerships may both have "burglary".</summary>
    public int PlanId { get; set; }
    public Plan? Plan { get; set; }
    /// <summary>Stable slug used in URLs, the CLI and the API (unique within its plan).</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public MeasureUnit Unit { get; set; }
    public Polarity Polarity { get; set; }
    public MeasureSource Source { get; set; }
    public int? PriorityId { get; set; }
    public Priority? Priority { get; set; }
    public int SortOrder { get; set; }
    /// <summary>Shown on the priority's card on the home page.</summary>
    public bool IsHeadline { get; set; }
    /// <summary>For a rate per 1,000: the count measure it is the rate of.</summary>
    public int? RateOfMeasureId { get; set; }
    public Measure? RateOfMeasure { get; set; }
    /// <summary>For a percentage of another crime measure (crimes charged or summonsed out of all crimes): the measure it is
    /// a share of. The value for a period is this measure's count over that measure's count, × 100.</summary>
    public int? ShareOfMeasureId { get; set; }
    public Measure? ShareOfMeasure { get; set; }
    public List<Target> Targets { get; set; } = [];
}

public class Target
{
    public int Id { get; set; }
    public int MeasureId { get; set; }
    public Measure? Measure { get; set; }
    public FinancialYear FinancialYear { get; set; }
    public TargetForm Form { get; set; }
    public decimal Value { get; set; }
    /// <summary>The target as printed, e.g. "-1.2%" or "2% decrease*".</summary>
    public string AsPrinted { get; set; } = "";
    /// <summary>Which set it belongs to: "Police targets 2010-2011", "Confidence targets", "LAA targets".</summary>
    public string Set { get; set; } = "";
}
