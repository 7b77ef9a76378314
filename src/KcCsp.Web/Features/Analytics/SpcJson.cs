using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features.Analytics;

/// <summary>One month of an XmR chart as the CLI's `spc --json` and the API print it.</summary>
/// <param name="Signals">Which rules the month breaks, and which side: "above upper limit", "shift below mean", "trend up", ….</param>
public sealed record SpcJsonPoint(string Month, decimal Value, IReadOnlyList<string> Signals);

/// <summary>An XmR chart as the CLI's `spc --json` and `GET /api/measures/{code}/spc` print it (mean and limits to 4 decimals).</summary>
public sealed record SpcJson(
    string Measure, string MeasureName, string Area, string From, string To, string BaselineFrom, string BaselineTo,
    decimal Mean, decimal UpperLimit, decimal LowerLimit, string Variation, string Assurance, decimal? Target,
    IReadOnlyList<SpcJsonPoint> Points)
{
    public static SpcJson Of(SpcChart chart) => new(
        chart.Measure, chart.MeasureName, chart.Area, chart.Shown.From.ToString(), chart.Shown.To.ToString(),
        chart.Baseline.From.ToString(), chart.Baseline.To.ToString(),
        Round(chart.Result.Mean), Round(chart.Result.UpperProcessLimit), Round(chart.Result.LowerProcessLimit),
        SpcText.Variation(chart.Result.Variation), SpcText.Assurance(chart.Result.Assurance), chart.MonthlyTarget,
        chart.Points.Select(p => new SpcJsonPoint(p.Month.ToString(), Api.MeasureComparison.Tidy(p.Value)!.Value, p.Point.SignalPhrases())).ToList());

    private static decimal Round(decimal d) => Math.Round(d, 4, MidpointRounding.AwayFromZero);
}

/// <summary>The words of Making Data Count's icons: shown beside the icon, never the icon (or its colour) alone.</summary>
public static class SpcText
{
    public static string Variation(SpcVariation v) => v switch
    {
        SpcVariation.CommonCause => "common cause",
        SpcVariation.SpecialCauseImprovement => "special cause: improvement",
        SpcVariation.SpecialCauseConcern => "special cause: concern",
        SpcVariation.NotEnoughData => "not enough data",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    public static string Assurance(SpcAssurance a) => a switch
    {
        SpcAssurance.ConsistentlyMet => "consistently meets the target",
        SpcAssurance.HitAndMiss => "hit and miss",
        SpcAssurance.ConsistentlyNotMet => "consistently misses the target",
        SpcAssurance.NoTarget => "no monthly target",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    /// <summary>The variation's icon with its words beside it, e.g. "▲ special cause: improvement".</summary>
    public static string VariationWithIcon(SpcVariation v) => $"{VariationIcon(v)} {Variation(v)}";

    /// <summary>A month's signals in words with their direction, e.g. "shift below mean (improvement)"; "–" for none.</summary>
    public static string Signals(SpcPoint p) =>
        p.Signals == SpcSignal.None ? "–" : $"{string.Join("; ", p.SignalPhrases())} ({(p.Improvement ? "improvement" : "concern")})";

    /// <summary>A short symbol for the variation icon (with the word beside it).</summary>
    public static string VariationIcon(SpcVariation v) => v switch
    {
        SpcVariation.SpecialCauseImprovement => "▲",
        SpcVariation.SpecialCauseConcern => "▼",
        SpcVariation.CommonCause => "●",
        _ => "–",
    };
}
