using System.Text.Json.Serialization;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features.Api;

public sealed record PeriodView(string From, string To)
{
    [JsonIgnore] public string Description { get; init; } = "";

    public static PeriodView Of(Period p) => new(p.From.ToString(), p.To.ToString()) { Description = p.Describe() };
}

/// <summary>
/// The JSON contract of one report row, printed by the CLI's `measure --json` and the API alike: a measure this period
/// against the same months a year earlier, for one area. Made from a <see cref="MeasureRow"/> by <see cref="From"/> only.
/// </summary>
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
    /// <summary>Whom the rank is among: "London" (the 32 boroughs) or, outside London, the police force whose local
    /// authorities the area is ranked with ("Kent Police"); the rank stays in <see cref="LondonRank"/> for compatibility.</summary>
    public string? RankedAmong { get; init; }
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
    /// <summary>Where the area stands in its peer group by rate per 1,000 (position 1 = lowest rate); null without a rate for every member.</summary>
    public PeerGroupView? PeerGroup { get; init; }

    public static MeasureComparison From(MeasureRow r) => new()
    {
        Measure = r.Measure.Code,
        MeasureName = r.Measure.Name,
        Unit = r.Measure.Unit.ToString(),
        Polarity = r.Measure.Polarity.ToString(),
        Area = r.Area.Name,
        FinancialYear = r.FinancialYear.ToString(),
        Period = PeriodView.Of(r.Periods.Current),
        PreviousPeriod = PeriodView.Of(r.Periods.Previous),
        Value = Tidy(r.Value),
        Previous = Tidy(r.PreviousValue),
        ChangePercent = r.ChangePercent,
        ChangeText = ReportText.Change(r),
        LondonRank = ReportText.Rank(r),
        LondonRankSource = ReportText.RankSource(r),
        RankedAmong = r.Area.RankedAmong,
        Status = ReportText.Status(r),
        StatusIcon = ReportText.StatusIcon(r),
        StatusExplanation = r.Evaluation.Explanation,
        Target = r.Target is { } t ? new TargetView(t.Form.ToString(), t.Value, t.AsPrinted, t.Set) : null,
        ProjectedYearEnd = r.ProjectedYearEnd,
        Significance = r.Significance is { } s ? new SignificanceView(s.PValue, s.Significant, s.Explanation) : null,
        Source = ReportText.Source(r),
        SourceNote = r.Current?.Note,
        Published = r.Published is { } p
            ? new PublishedView(p.Value, p.Previous, p.ChangePercent, p.LondonRank?.Phrase, TargetStatusText.Word(p.Status))
            : null,
        PeerGroup = r.PeerGroup is { } g
            ? new PeerGroupView(g.Name, g.Size, g.Rank.PositionFromLowest, g.Rank.Phrase, g.Average,
                g.Members.Select(m => new PeerMemberView(m.Area.Name, Tidy(m.Value)!.Value, m.Rate)).ToList())
            : null,
        TaxonomyChanges = r.TaxonomyChanges.Select(c => new TaxonomyChangeView(c.Change.From.ToString(), c.Change.Title, c.LikeForLike, c.Statement, c.Change.Explanation)).ToList(),
    };

    /// <summary>Drops trailing zeros that storage adds (3374.0000 → 3374), so counts print as whole numbers.</summary>
    public static decimal? Tidy(decimal? value) => value / 1.000000000000000000000000000000000m;
}

/// <summary>A taxonomy change a comparison crosses: from which month, what changed, and whether the comparison stays like for like.</summary>
public sealed record TaxonomyChangeView(string From, string Title, bool LikeForLike, string Statement, string Explanation);

public sealed record TargetView(string Form, decimal Value, string AsPrinted, string Set);

public sealed record SignificanceView(double PValue, bool Significant, string Explanation);

public sealed record PublishedView(decimal? Value, decimal? Previous, decimal? ChangePercent, string? LondonRank, string Status);

/// <param name="Position">1 = the lowest rate in the group.</param>
/// <param name="Rank">The position phrased like the London rank over the group's size, e.g. "2nd lowest".</param>
/// <param name="Average">The mean of the members' rates per 1,000, to two decimals.</param>
public sealed record PeerGroupView(string Name, int Size, int Position, string Rank, decimal Average, IReadOnlyList<PeerMemberView> Members);

/// <param name="Rate">Per 1,000 residents (for a count: the count over the ONS mid-year population of the year the period starts in).</param>
public sealed record PeerMemberView(string Area, decimal Value, decimal Rate);
