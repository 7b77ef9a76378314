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
public sealed record SpcChart(
    string Measure, string MeasureName, MeasureUnit Unit, Polarity Polarity, string Area,
    Period Shown, Period Baseline, SpcResult Result, IReadOnlyList<SpcChartPoint> Points, decimal? MonthlyTarget);

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
        var area = await FindAreaAsync(areaName, ct) ?? throw new UnknownAreaException(areaName);
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
        return Build(measure, area, shown, new Period(from, baselineTo ?? to), values, await MonthlyTargetAsync(measure, to, ct));
    }

    /// <summary>
    /// The chart beside a measure on a priority page and in the board pack: the period shown (with the months before it
    /// back to <see cref="DefaultBaselineMonths"/>) and limits from those earlier months — or, when the months run
    /// out, from as many as there are, and from the period itself when there are none. Null when some month of the
    /// period itself has no value.
    /// </summary>
    public async Task<SpcChart?> ForPeriodAsync(Measure measure, Area area, Period period, CancellationToken ct = default)
    {
        var window = new Period(period.From.AddMonths(-DefaultBaselineMonths), period.To);
        var values = await ValuesAsync(measure, area, window, ct);
        if (period.Months.Any(m => !values.ContainsKey(m))) return null;
        // The unbroken run of months ending with the period.
        var first = period.From;
        while (first > window.From && values.ContainsKey(first.AddMonths(-1))) first = first.AddMonths(-1);
        var baseline = first < period.From ? new Period(first, period.From.AddMonths(-1)) : period;
        if (baseline.MonthCount < 2) baseline = new Period(first, period.To);
        return Build(measure, area, new Period(first, period.To), baseline, values, await MonthlyTargetAsync(measure, period.To, ct));
    }

    private SpcChart Build(Measure measure, Area area, Period shown, Period baseline, Dictionary<YearMonth, decimal> values, decimal? target)
    {
        var months = shown.Months.ToList();
        var result = SpcAnalysis.Analyse(months.Select(m => values[m]).ToList(), measure.Polarity, target, settings, baseline.MonthCount);
        var points = months.Select((m, i) => new SpcChartPoint(m, values[m], result.Points[i], baseline.Contains(m))).ToList();
        return new SpcChart(measure.Code, measure.Name, measure.Unit, measure.Polarity, area.Name, shown, baseline, result, points, target);
    }

    private async Task<Dictionary<YearMonth, decimal>> ValuesAsync(Measure measure, Area area, Period period, CancellationToken ct) =>
        (await series.ReadAsync([measure.Id], area.Id, period.From, period.To, ct))
        .ToDictionary(p => YearMonth.Parse(p.Month), p => p.Value);

    /// <summary>A level target (a percentage, say) reads the same every month; targets of change or of a year's total do not.</summary>
    private async Task<decimal?> MonthlyTargetAsync(Measure measure, YearMonth month, CancellationToken ct)
    {
        var year = month.FinancialYear;
        var target = await db.Targets.AsNoTracking().FirstOrDefaultAsync(t => t.MeasureId == measure.Id && t.FinancialYear == year, ct);
        return target is { Form: TargetForm.Level } ? target.Value : null;
    }

    private async Task<Area?> FindAreaAsync(string name, CancellationToken ct)
    {
        var key = AreaNames.Key(name);
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        return areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key || string.Equals(a.Code, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
