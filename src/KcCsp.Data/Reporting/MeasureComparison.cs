using System.Text.Json.Serialization;

namespace KcCsp.Data.Reporting;

public sealed record PeriodView(string From, string To)
{
    [JsonIgnore] public string Description { get; init; } = "";
}

/// <summary>A measure this period against the same months a year earlier, for one area: one row of a Section 2 table.</summary>
public sealed record MeasureComparison
{
    public required string Measure { get; init; }
    public required string MeasureName { get; init; }
    public required string Unit { get; init; }
    public required string Polarity { get; init; }
    public required string Area { get; init; }
    public required string FinancialYear { get; init; }
    public required PeriodView Period { get; init; }
    public required PeriodView PreviousPeriod { get; init; }
    public decimal? Value { get; init; }
    public decimal? Previous { get; init; }
    public decimal? ChangePercent { get; init; }
    public required string ChangeText { get; init; }
    public string? LondonRank { get; init; }
    /// <summary>Where the rank came from: "published" (printed in the plan) or "computed" (rates per 1,000 of all 32 boroughs).</summary>
    public string? LondonRankSource { get; init; }
    public required string Status { get; init; }
    public required string StatusIcon { get; init; }
    public required string StatusExplanation { get; init; }
    public TargetView? Target { get; init; }
    public decimal? ProjectedYearEnd { get; init; }
    public SignificanceView? Significance { get; init; }
    /// <summary>"published", "manual" or "imported": where the current value came from.</summary>
    public string? Source { get; init; }
    public string? SourceNote { get; init; }
    /// <summary>The plan's own figures for the same period, where the plan has them and another source now supplies the value.</summary>
    public PublishedView? Published { get; init; }
    /// <summary>Changes in the MPS's categories that lie between the two periods' months, for the categories this measure counts:
    /// whether the comparison still compares like with like. Empty when it crosses none.</summary>
    public IReadOnlyList<TaxonomyChangeView> TaxonomyChanges { get; init; } = [];
}

/// <summary>A taxonomy change a comparison crosses: from which month, what changed, and whether the comparison stays like for like.</summary>
public sealed record TaxonomyChangeView(string From, string Title, bool LikeForLike, string Statement, string Explanation);

public sealed record TargetView(string Form, decimal Value, string AsPrinted, string Set);

public sealed record SignificanceView(double PValue, bool Significant, string Explanation);

public sealed record PublishedView(decimal? Value, decimal? Previous, decimal? ChangePercent, string? LondonRank, string Status);
