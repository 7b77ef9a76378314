using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>A point of an XmR chart: its month and what the rules say about it.</summary>
public sealed record SpcChartPoint(YearMonth Month, decimal Value, SpcPoint Point, bool InBaseline);

/// <summary>
/// An XmR chart of a measure's monthly values for an area: mean and process limits from <see cref="Baseline"/>, every
/// month of <see cref="Shown"/> judged against them. <see cref="MonthlyTarget"/> is the target read as a monthly value,
/// where it can be (a level, such as a percentage); the assurance icon needs it.
/// </summary>
/// <param name="BaselineChosen">The baseline is the one a reader chose (a priority page's baselineTo), not the default.</param>
public sealed record SpcChart(
    string Measure, string MeasureName, MeasureUnit Unit, Polarity Polarity, string Area,
    Period Shown, Period Baseline, SpcResult Result, IReadOnlyList<SpcChartPoint> Points, decimal? MonthlyTarget, bool BaselineChosen = false)
{
    /// <summary>Two months at least: a chart of one month has no line to draw (pages and the board pack leave it out).</summary>
    public bool CanDraw => Points.Count >= 2;
}

/// <summary>A chart that cannot be drawn for the months asked: a period the wrong way round, or months without a value.</summary>
public sealed class SpcPeriodException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>
/// Builds XmR charts (<see cref="SpcAnalysis"/>) from the stored monthly values (<see cref="MonthlySeries"/>, the same
/// precedence as every other figure): for the command line's and the API's `spc`, and for the priority pages and board
/// pack, where the limits come from the 24 months before the period shown (or as many as there are).
/// </summary>
public sealed class SpcCharts(KcCspDbContext db, MonthlySeries series, SpcSettings settings)
{
    /// <summary>Months of baseline before the period shown, by default.</summary>
    public const int DefaultBaselineMonths = 24;

    /// <summary>
    /// The chart of <paramref name="from"/> to <paramref name="to"/>, with limits from <paramref name="from"/> to
    /// <paramref name="baselineTo"/> (by default the whole range, as NHSRplotthedots does). Every month needs a value.
    /// </summary>
    public async Task<SpcChart> ChartAsync(string measureCode, string areaName, YearMonth from, YearMonth to, YearMonth? baselineTo = null, CancellationToken ct = default)
    {
        var measure = await db.Measures.AsNoTracking().SingleOrDefaultAsync(m => m.Code == measureCode, ct)
            ?? throw new UnknownMeasureException(measureCode);
        var area = ReportService.FindArea(await db.Areas.AsNoTracking().ToListAsync(ct), areaName) ?? throw new UnknownAreaException(areaName);
        if (from > to) throw new SpcPeriodException("from", $"The chart's first month, {from}, is after its last, {to}.");
        if (baselineTo is { } b && (b < from || b > to))
            throw new SpcPeriodException("baseline-to", $"The baseline's last month, {b}, is outside the chart ({from} to {to}): the baseline is the chart's first months.");
        var shown = new Period(from, to);
        var values = await ValuesAsync(measure, area, shown, ct);
        var missing = shown.Months.Where(m => !values.ContainsKey(m)).ToList();
        if (missing.Count > 0)
        {
            var listed = string.Join(", ", missing.Take(6).Select(m => m.ToString())) + (missing.Count > 6 ? $" and {missing.Count - 6} more" : "");
            throw new SpcPeriodException("from", $"{measure.Name} has no value for {area.Name} in {listed}: an XmR chart needs every month from {from} to {to}. Import the extracts that cover them, or choose other months.");
        }
        return Build(measure, area.Name, shown, new Period(from, baselineTo ?? to), values, await MonthlyTargetAsync(measure, to, ct), settings);
    }

    /// <summary>
    /// The one rule for the chart beside a period: the unbroken run of months with a value ending with the period, back
    /// at most <see cref="DefaultBaselineMonths"/> before it; limits from the months before the period (or from all of
    /// them when fewer than two precede it), or from the chart's first month to <paramref name="baselineTo"/> when a
    /// reader chose it and the chart has at least two months to it. Null when a month of the period has no value.
    /// </summary>
    public static SpcChart? ForPeriod(Measure measure, string area, Period period, IReadOnlyDictionary<YearMonth, decimal> values, decimal? monthlyTarget, SpcSettings settings,
        YearMonth? baselineTo = null)
    {
        if (period.Months.Any(m => !values.ContainsKey(m))) return null;
        var earliest = period.From.AddMonths(-DefaultBaselineMonths);
        var first = period.From;
        while (first > earliest && values.ContainsKey(first.AddMonths(-1))) first = first.AddMonths(-1);
        if (baselineTo is { } chosen && chosen > first && chosen <= period.To)
            return Build(measure, area, new Period(first, period.To), new Period(first, chosen), values, monthlyTarget, settings) with { BaselineChosen = true };
        var baseline = first.MonthsUntil(period.From) >= 2 ? new Period(first, period.From.AddMonths(-1)) : new Period(first, period.To);
        return Build(measure, area, new Period(first, period.To), baseline, values, monthlyTarget, settings);
    }

    private static SpcChart Build(Measure measure, string area, Period shown, Period baseline, IReadOnlyDictionary<YearMonth, decimal> values, decimal? target, SpcSettings settings)
    {
        var months = shown.Months.ToList();
        var result = SpcAnalysis.Analyse(months.Select(m => values[m]).ToList(), measure.Polarity, target, settings, baseline.MonthCount);
        var points = months.Select((m, i) => new SpcChartPoint(m, values[m], result.Points[i], baseline.Contains(m))).ToList();
        return new SpcChart(measure.Code, measure.Name, measure.Unit, measure.Polarity, area, shown, baseline, result, points, target);
    }

    private async Task<Dictionary<YearMonth, decimal>> ValuesAsync(Measure measure, Area area, Period period, CancellationToken ct) =>
        (await series.ReadAsync([measure.Id], area.Id, period.From, period.To, ct))
        .ToDictionary(p => YearMonth.Parse(p.Month), p => p.Value);

    private async Task<decimal?> MonthlyTargetAsync(Measure measure, YearMonth month, CancellationToken ct)
    {
        var year = month.FinancialYear;
        return MonthlyTarget(await db.Targets.AsNoTracking().FirstOrDefaultAsync(t => t.MeasureId == measure.Id && t.FinancialYear == year, ct));
    }

    /// <summary>A level target (a percentage, say) reads the same every month; targets of change or of a year's total do not.</summary>
    public static decimal? MonthlyTarget(Target? target) => target is { Form: TargetForm.Level } ? target.Value : null;
}
