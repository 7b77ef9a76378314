using KcCsp.Data.Planning;
using KcCsp.Data.Reporting;

namespace KcCsp.Web.Features.Downloads;

/// <summary>
/// Every table on the portal's pages as CSV, built from the same view models the pages show, so a download never
/// says something the page does not. Percentages of change are numbers (-5.8 means -5.8%), not text.
/// </summary>
public sealed class TableDownloads(DashboardService dashboard)
{
    /// <summary>The measure columns; the rank's heading names whom the area is ranked among ("London rank", "Rank in Kent Police").</summary>
    public static string[] MeasureHeadersFor(IEnumerable<MeasureRow> rows) =>
        MeasureHeaders.Select(h => h == "London rank" ? rows.FirstOrDefault()?.Area.RankHeading ?? h : h).ToArray();

    public static readonly string[] MeasureHeaders =
    [
        "Measure code", "Measure", "Area", "Period from", "Period to", "Previous period from", "Previous period to",
        "Previous", "Current", "Change %", "London rank", "Meeting target?", "Target", "Significant change?", "p-value",
        "Source", "Source note",
    ];

    /// <summary>The home page's headline tables, one row per headline measure of every priority.</summary>
    public async Task<CsvTable> HeadlinesAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var home = await dashboard.HomeAsync(period, ct);
        var rows = home.Priorities.SelectMany(p => p.Headlines.Select(r => (IReadOnlyList<object?>)[p.Code, p.Title, .. MeasureCells(r)])).ToList();
        return new CsvTable("kccsp-headline-measures.csv", ["Priority code", "Priority", .. MeasureHeadersFor(home.Priorities.SelectMany(p => p.Headlines))], rows);
    }

    /// <summary>The home page's "Across the partnership" table.</summary>
    public async Task<CsvTable> PartnershipAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var home = await dashboard.HomeAsync(period, ct);
        return new CsvTable("kccsp-partnership-measures.csv", MeasureHeadersFor(home.PartnershipMeasures), home.PartnershipMeasures.Select(MeasureCells).ToList());
    }

    public async Task<CsvTable?> PriorityMeasuresAsync(string code, ReportingPeriod period, CancellationToken ct = default) =>
        await dashboard.PriorityAsync(code, period, ct) is { } page
            ? new CsvTable($"kccsp-{page.Code}-measures.csv", MeasureHeadersFor(page.Rows), page.Rows.Select(MeasureCells).ToList())
            : null;

    public async Task<CsvTable?> PriorityTargetsAsync(string code, ReportingPeriod period, CancellationToken ct = default) =>
        await dashboard.PriorityAsync(code, period, ct) is { } page
            ? new CsvTable($"kccsp-{page.Code}-targets.csv", ["Measure code", "Measure", "Year", "Target as printed", "Read as", "Set"],
                page.Targets.Select(t => (IReadOnlyList<object?>)[t.Measure, t.MeasureName, t.FinancialYear, t.AsPrinted, t.Meaning, t.Set]).ToList())
            : null;

    public async Task<CsvTable?> PriorityActionsAsync(string code, ReportingPeriod period, CancellationToken ct = default)
    {
        if (await dashboard.PriorityAsync(code, period, ct) is not { } page) return null;
        // The report's actions carry their latest update.
        return new CsvTable($"kccsp-{page.Code}-actions.csv", ActionHeaders, page.ActionsByTheme.SelectMany(g => g).Select(ActionCells).ToList());
    }

    /// <summary>The data table behind one chart of a priority page.</summary>
    public async Task<CsvTable?> PriorityChartAsync(string code, string measure, ReportingPeriod period, CancellationToken ct = default)
    {
        if (await dashboard.PriorityAsync(code, period, ct) is not { } page) return null;
        var chart = page.Charts.FirstOrDefault(c => c.Id == $"chart-{measure}");
        if (chart is null) return null;
        // An XmR chart: its months, values, mean, limits and which months are its baseline, as numbers.
        if (page.Rows.FirstOrDefault(r => $"{r.Measure.Code}-spc" == measure)?.Spc is { } spc)
            return new CsvTable($"kccsp-{page.Code}-chart-{measure}.csv", ["Month", "Value", "Mean", "Lower limit", "Upper limit", "In baseline", "Baseline", "Signals"],
                spc.Points.Select(p => (IReadOnlyList<object?>)[p.Month.ToString(), p.Value, spc.Result.Mean, spc.Result.LowerProcessLimit, spc.Result.UpperProcessLimit,
                    p.InBaseline ? "yes" : "no", $"{spc.Baseline.From} to {spc.Baseline.To} ({(spc.BaselineChosen ? "chosen" : "default")})",
                    string.Join("; ", p.Point.SignalPhrases())]).ToList());
        // Other charts than the two years side by side carry their table as shown.
        if (page.Rows.FirstOrDefault(r => r.Measure.Code == measure) is not { } row)
            return new CsvTable($"kccsp-{page.Code}-chart-{measure}.csv", chart.Headers, chart.Rows.Select(r => (IReadOnlyList<object?>)r.Cast<object?>().ToList()).ToList());
        // The chart's own table shows formatted values; the CSV carries the numbers behind them.
        var values = new[] { row.PreviousValue, row.Value };
        var rows = chart.Rows.Select((r, i) => (IReadOnlyList<object?>)[r[0], values[i]]).ToList();
        return new CsvTable($"kccsp-{page.Code}-chart-{measure}.csv", chart.Headers, rows);
    }

    public static readonly string[] ActionHeaders = ["Action id", "Theme", "Action", "Detail", "Lead agency", "Due", "Status", "Complete %", "Latest update"];

    public static IReadOnlyList<object?> ActionCells(ActionView a) =>
        [a.Id, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, a.Status, a.PercentComplete, a.LatestUpdate?.Summary];

    public static IReadOnlyList<object?> MeasureCells(MeasureRow r) =>
    [
        r.Measure.Code, r.Measure.Name, r.Area.Name, r.Periods.Current.From.ToString(), r.Periods.Current.To.ToString(),
        r.Periods.Previous.From.ToString(), r.Periods.Previous.To.ToString(),
        r.PreviousValue, r.Value, r.ChangePercent, ReportText.Rank(r), $"{ReportText.StatusIcon(r)} {ReportText.Status(r)}", r.Target?.AsPrinted,
        r.Significance is { } s ? (s.Significant ? "yes" : "no") : null, r.Significance?.PValue, ReportText.Source(r), r.Current?.Note,
    ];
}
