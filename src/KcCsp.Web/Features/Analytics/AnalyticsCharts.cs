using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features.Analytics;

/// <summary>
/// The charts of a report row beyond the two years' bars: the monthly trend against last year, the cumulative year to
/// date, the XmR chart and the peer group's rates. Each is a <see cref="ChartView"/>: the chart and its data table.
/// Colours are never the only carrier: signals are also point shapes and words in the table.
/// </summary>
public static class AnalyticsCharts
{
    private const string ThisYear = "#1d4f91";
    private const string LastYear = "#6b7b8f";
    private const string Concern = "#b3261e";
    private const string Improvement = "#1a7f37";
    private const string Neutral = "#1d4f91";
    private const string Highlight = "#b35c00";

    /// <summary>The charts for a row: monthly charts where the row has months, the two years' bars where it has not.</summary>
    public static IEnumerable<ChartView> For(MeasureRow row)
    {
        if (row.Months.Count > 0)
        {
            yield return Trend(row);
            if (row.Months.Any(m => m.CumulativeValue is not null || m.CumulativePreviousValue is not null)) yield return Cumulative(row);
        }
        else if (row.Value is not null || row.PreviousValue is not null)
        {
            yield return DashboardService.YearOnYearChart(row);
        }
        if (row.Spc is { CanDraw: true } spc) yield return Spc(row, spc);
        if (row.PeerGroup is { } peer) yield return Peers(row, peer);
    }

    public static ChartView Trend(MeasureRow row)
    {
        var (year, previous) = (row.FinancialYear.ToString(), row.FinancialYear.Previous.ToString());
        return MonthlyLines(row, "", previous, year, $"month by month, {year} against {previous}",
            $"month by month: {row.Periods.Current.Describe()} against {row.Periods.Previous.Describe()}", m => m.PreviousValue, m => m.Value);
    }

    public static ChartView Cumulative(MeasureRow row)
    {
        var (year, previous) = (row.FinancialYear.ToString(), row.FinancialYear.Previous.ToString());
        return MonthlyLines(row, "-ytd", $"{previous} to date", $"{year} to date", "cumulative year to date",
            $"cumulative year to date: {year} against {previous}", m => m.CumulativePreviousValue, m => m.CumulativeValue);
    }

    /// <summary>Last year's line (dashed) and this year's (bold) over the row's months, and the same as a table.</summary>
    private static ChartView MonthlyLines(MeasureRow row, string idSuffix, string previousLabel, string currentLabel, string title, string caption,
        Func<TrendMonth, decimal?> previousValue, Func<TrendMonth, decimal?> currentValue)
    {
        var (name, unit) = (row.Measure.Name, row.Measure.Unit);
        var labels = row.Months.Select(m => m.Month.MonthName[..3]).ToList();
        var config = new ChartConfig("line",
            new ChartData(labels,
            [
                new ChartDataset(previousLabel, row.Months.Select(previousValue).ToList(), [LastYear], LastYear) { BorderDash = [6, 4], PointStyle = ["rectRot"] },
                new ChartDataset(currentLabel, row.Months.Select(currentValue).ToList(), [ThisYear], ThisYear) { BorderWidth = 3 },
            ]),
            new ChartOptions(true, false, new ChartPlugins(new ChartLegend(true), new ChartTitle(true, $"{name}: {title}")),
                new ChartScales(new ChartAxis(true, new ChartAxisTitle(true, ReportText.UnitLabel(unit))))));
        return new ChartView($"chart-{row.Measure.Code}{idSuffix}", $"{name}, {caption}", config,
            ["Month", previousLabel, currentLabel],
            row.Months.Select(m => (IReadOnlyList<string>)[m.Month.MonthName, Format.Value(previousValue(m), unit), Format.Value(currentValue(m), unit)]).ToList());
    }

    /// <summary>The XmR chart: the values, the mean and both limits; a point with a signal is drawn larger, as a triangle, in the colour of its direction.</summary>
    public static ChartView Spc(MeasureRow row, SpcChart spc)
    {
        var (name, unit) = (row.Measure.Name, row.Measure.Unit);
        var r = spc.Result;
        var labels = spc.Points.Select(p => p.Month.ToString()).ToList();
        var flat = (decimal value) => spc.Points.Select(_ => (decimal?)Math.Round(value, 2)).ToList();
        var colours = spc.Points.Select(p => p.Point.Signals == SpcSignal.None ? Neutral : p.Point.Improvement ? Improvement : Concern).ToList();
        var shapes = spc.Points.Select(p => p.Point.Signals == SpcSignal.None ? "circle" : p.Point.Improvement ? "triangle" : "rectRot").ToList();
        var variation = SpcText.VariationWithIcon(r.Variation);
        var config = new ChartConfig("line",
            new ChartData(labels,
            [
                new ChartDataset(name, spc.Points.Select(p => (decimal?)p.Value).ToList(), [Neutral], Neutral) { PointBackgroundColor = colours, PointStyle = shapes, PointRadius = 4 },
                new ChartDataset("Mean", flat(r.Mean), [LastYear], LastYear) { PointRadius = 0, BorderWidth = 1 },
                new ChartDataset("Upper process limit", flat(r.UpperProcessLimit), [LastYear], LastYear) { PointRadius = 0, BorderDash = [6, 4], BorderWidth = 1 },
                new ChartDataset("Lower process limit", flat(r.LowerProcessLimit), [LastYear], LastYear) { PointRadius = 0, BorderDash = [6, 4], BorderWidth = 1 },
            ]),
            new ChartOptions(true, false, new ChartPlugins(new ChartLegend(true), new ChartTitle(true, $"{name}: statistical process control — {variation}")),
                new ChartScales(new ChartAxis(false, new ChartAxisTitle(true, ReportText.UnitLabel(unit))))));
        var caption = $"{name}, XmR chart {spc.Shown.Describe()}: mean {r.Mean:0.#}, limits {r.LowerProcessLimit:0.#} to {r.UpperProcessLimit:0.#} " +
                      $"from {spc.Baseline.Describe()} ({(spc.BaselineChosen ? "baseline chosen" : "default baseline")}); latest month {SpcText.Variation(r.Variation)}; assurance: {SpcText.Assurance(r.Assurance)}";
        return new ChartView($"chart-{row.Measure.Code}-spc", caption, config,
            ["Month", name, "Signals", "In baseline"],
            spc.Points.Select(p => (IReadOnlyList<string>)[p.Month.Describe(), Format.Value(p.Value, unit),
                SpcText.Signals(p.Point),
                p.InBaseline ? "yes" : "no"]).ToList());
    }

    /// <summary>The group's rates per 1,000 as horizontal bars, lowest first, the borough picked out in colour and by name.</summary>
    public static ChartView Peers(MeasureRow row, PeerGroupPosition peer)
    {
        var name = row.Measure.Name;
        var members = peer.Members.OrderBy(m => m.Rate).ThenBy(m => m.Area.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var labels = members.Select(m => m.Area.Id == row.Area.Id ? $"▶ {m.Area.Name}" : m.Area.Name).ToList();
        var config = new ChartConfig("bar",
            new ChartData(labels,
            [
                new ChartDataset("Rate per 1,000 residents", members.Select(m => (decimal?)m.Rate).ToList(),
                    members.Select(m => m.Area.Id == row.Area.Id ? Highlight : LastYear).ToList()),
            ]),
            new ChartOptions(true, false, new ChartPlugins(new ChartLegend(false),
                new ChartTitle(true, $"{name}: {peer.Name}, rate per 1,000 — {row.Area.Name} {peer.Rank.Phrase} of {peer.Size}, group average {peer.Average:0.00}")))
                { IndexAxis = "y" });
        return new ChartView($"chart-{row.Measure.Code}-peer",
            $"{name}, {peer.Name} by rate per 1,000 residents, {row.Periods.Current.Describe()}: {row.Area.Name} {peer.Rank.Phrase} of {peer.Size}; group average {peer.Average:0.00}",
            config, ["Borough", row.Measure.Unit == MeasureUnit.Count ? "Count" : "Value", "Rate per 1,000"],
            members.Select(m => (IReadOnlyList<string>)[m.Area.Id == row.Area.Id ? $"{m.Area.Name} (this borough)" : m.Area.Name,
                Format.Value(m.Value, row.Measure.Unit), m.Rate.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)]).ToList());
    }
}
