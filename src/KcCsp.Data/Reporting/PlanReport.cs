using KcCsp.Data.Model;
using KcCsp.Domain;

namespace KcCsp.Data.Reporting;

/// <summary>
/// The plan's report for one area and one period: every priority with its Section-2-style rows, targets, reviews and
/// actions, and the measures across the partnership. Numbers are numbers, periods <see cref="Period"/>s, statuses
/// <see cref="TargetStatus"/>, ranks <see cref="Domain.LondonRank"/>: the pages, CSV files, board pack, API and CLI
/// format them at their edges. Built by <see cref="ReportService"/> only.
/// </summary>
public sealed record PlanReport
{
    public required ReportPlan Plan { get; init; }
    public required ReportArea Area { get; init; }
    public required ReportingPeriod Period { get; init; }
    /// <summary>The financial years with something to show, newest first (the period picker's choices).</summary>
    public required IReadOnlyList<FinancialYear> ChoosableYears { get; init; }
    public required IReadOnlyList<PriorityReport> Priorities { get; init; }
    /// <summary>Measures that belong to no priority ("Across the partnership").</summary>
    public required IReadOnlyList<MeasureRow> PartnershipMeasures { get; init; }
    /// <summary>The local date the report was computed for: overdue flags depend on it.</summary>
    public required DateOnly Today { get; init; }
    /// <summary>The <see cref="DataVersion"/> stamp of the data it was computed from.</summary>
    public required Guid DataStamp { get; init; }

    public IEnumerable<MeasureRow> AllRows => Priorities.SelectMany(p => p.Rows).Concat(PartnershipMeasures);

    public PriorityReport? Priority(string code) => Priorities.FirstOrDefault(p => p.Code == code);
}

public sealed record ReportPlan(string Title, string Partnership, string Years, string ExecutiveSummary, string AboutThePlan);

/// <param name="RankedAmong">Whom the area is ranked among: "London" (the 32 boroughs) or its police force's local
/// authorities outside London ("Kent Police"); null when it is ranked among none.</param>
public sealed record ReportArea(int Id, string Name, string? Code, bool InLondonRanking, string? RankedAmong = null)
{
    /// <summary>The rank column's heading: "London rank", "Rank in Kent Police".</summary>
    public string RankHeading => HeadingFor(RankedAmong);

    /// <summary>The rank's heading for whom an area is ranked among (null: London's, as the plan printed it).</summary>
    public static string HeadingFor(string? rankedAmong) => rankedAmong is null or "London" ? "London rank" : $"Rank in {rankedAmong}";

    /// <summary>What the rank's position is among, in words for a page's note.</summary>
    public string RankExplanation => RankedAmong is null or "London"
        ? "position among the 32 London boroughs by rate per 1,000 residents"
        : $"position among the local authorities of {RankedAmong} by rate per 1,000 residents";
}

public sealed record ReportMeasure(int Id, string Code, string Name, MeasureUnit Unit, Polarity Polarity, bool IsHeadline, int SortOrder);

public sealed record PriorityReport(
    int Id, string Code, string Title, string Aim, string Introduction, IReadOnlyList<string> Narrative, int SortOrder,
    IReadOnlyList<MeasureRow> Rows, IReadOnlyList<TargetLine> Targets, IReadOnlyList<ReviewLine> Reviews, IReadOnlyList<ActionLine> Actions)
{
    public IEnumerable<MeasureRow> Headlines => Rows.Where(r => r.Measure.IsHeadline);
}

/// <summary>A target of a measure, with what "met" means for it.</summary>
public sealed record TargetLine(ReportMeasure Measure, FinancialYear FinancialYear, TargetForm Form, decimal Value, string AsPrinted, string Set);

public sealed record ReviewLine(FinancialYear FinancialYear, string Heading, IReadOnlyList<string> Comments);

public sealed record ActionLine(
    int Id, string Theme, string Text, string Detail, string LeadAgency, FinancialYear FinancialYear, DateOnly? DueDate, ActionStatus Status,
    int PercentComplete, bool Overdue, ActionUpdateLine? LatestUpdate);

public sealed record ActionUpdateLine(int Id, DateOnly Date, ActionStatus Status, int PercentComplete, string Commentary, string AuthorName, DateTimeOffset CreatedAt);

/// <summary>
/// A measure this period against the same months a year earlier, for one area: one row of a Section 2 table. Further
/// analytics of the same measure (monthly series, SPC, rolling twelve months, peer-group ranks) belong here as more
/// init-only properties, computed in the same batched pass of <see cref="ReportService"/>.
/// </summary>
public sealed record MeasureRow
{
    public required ReportMeasure Measure { get; init; }
    public required ReportArea Area { get; init; }
    /// <summary>The periods compared: the report's, or an earlier end of the same year where the measure's figures stop sooner.</summary>
    public required LikeForLike Periods { get; init; }
    public FoundValue? Current { get; init; }
    public FoundValue? Previous { get; init; }
    /// <summary>% change, one decimal; null when either value is missing or the base is zero.</summary>
    public decimal? ChangePercent { get; init; }
    public RankedPosition? LondonRank { get; init; }
    public required TargetEvaluation Evaluation { get; init; }
    public TargetLine? Target { get; init; }
    public decimal? ProjectedYearEnd { get; init; }
    public SignificanceResult? Significance { get; init; }
    /// <summary>The plan's own figures for the same periods, when the value shown now comes from somewhere else.</summary>
    public PublishedRow? Published { get; init; }
    /// <summary>The area's position in its peer group (the default, "Inner London", unless analysts chose otherwise).</summary>
    public PeerGroupPosition? PeerGroup { get; init; }
    /// <summary>Each month of the period with the same month a year earlier (values where stored): the monthly trend.</summary>
    public IReadOnlyList<TrendMonth> Months { get; init; } = [];
    /// <summary>The XmR chart of the months up to the period's end, limits from the 24 months before it (or as many as there are).</summary>
    public SpcChart? Spc { get; init; }
    /// <summary>Changes in the MPS's categories between the two periods' months that touch the categories this measure counts,
    /// and whether the comparison still compares like with like. Empty when it crosses none.</summary>
    public IReadOnlyList<TaxonomyCrossing> TaxonomyChanges { get; init; } = [];

    public FinancialYear FinancialYear => Periods.Current.From.FinancialYear;
    public decimal? Value => Current?.Value;
    public decimal? PreviousValue => Previous?.Value;
}

public enum RankSource { Published, Computed }

public sealed record RankedPosition(LondonRank Rank, RankSource Source);

public sealed record PublishedRow(decimal Value, decimal? Previous, decimal? ChangePercent, LondonRank? LondonRank, TargetStatus Status);

/// <summary>A month of the period and the same month a year earlier, with both years' running totals.</summary>
public sealed record TrendMonth(YearMonth Month, decimal? Value, decimal? PreviousValue, decimal? CumulativeValue, decimal? CumulativePreviousValue);
