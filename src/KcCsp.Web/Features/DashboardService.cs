using KcCsp.Data.Model;
using KcCsp.Data.Planning;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features;

public sealed record PlanHeader(string Title, string Partnership, string Years, string Area, string FinancialYear, int ToMonth, string PeriodDescription, string PreviousPeriodDescription)
{
    /// <summary>
    /// "?year=2009/10&amp;toMonth=1" (and "&amp;baselineTo=2009-03" when a reader chose the charts' baseline): carried on
    /// links so every page, download and the board pack describe the same period.
    /// </summary>
    public string Query => $"?year={Uri.EscapeDataString(FinancialYear)}&toMonth={ToMonth}" + (BaselineTo is null ? "" : $"&baselineTo={BaselineTo}");

    /// <summary>The last month of the XmR charts' baseline a reader chose (YYYY-MM), or null for the default.</summary>
    public string? BaselineTo { get; init; }

    /// <summary>The financial years a reader can choose, newest first.</summary>
    public IReadOnlyList<string> ChoosableYears { get; init; } = [];

    /// <summary>The data stamp of the one report build every figure on the page comes from (shown once, as data-stamp).</summary>
    public Guid DataStamp { get; init; }

    public static PlanHeader Of(PlanReport report)
    {
        var periods = report.Period.Periods;
        return new PlanHeader(report.Plan.Title, report.Plan.Partnership, report.Plan.Years, report.Area.Name, report.Period.Year.ToString(),
            report.Period.ToMonth, periods.Current.Describe(), periods.Previous.Describe())
        {
            ChoosableYears = report.ChoosableYears.Select(y => y.ToString()).ToList(),
            BaselineTo = report.Period.BaselineTo?.ToString(),
            DataStamp = report.DataStamp,
        };
    }
}

public sealed record PriorityCard(string Code, string Title, string Aim, IReadOnlyList<MeasureRow> Headlines, int ActionCount);

public sealed record HomeViewModel(PlanHeader Plan, string ExecutiveSummary, string AboutThePlan, IReadOnlyList<PriorityCard> Priorities, IReadOnlyList<MeasureRow> PartnershipMeasures);

public sealed record ActionView(int Id, string Theme, string Text, string Detail, string LeadAgency, DateOnly? DueDate, string Status, int PercentComplete,
    bool Overdue = false, KcCsp.Data.Planning.UpdateView? LatestUpdate = null)
{
    public static ActionView Of(ActionLine a) => new(a.Id, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, ActionStatusText.Word(a.Status), a.PercentComplete,
        a.Overdue, a.LatestUpdate is { } u ? new KcCsp.Data.Planning.UpdateView(u.Id, u.Date, ActionStatusText.Word(u.Status), u.PercentComplete, u.Commentary, u.AuthorName, u.CreatedAt) : null);
}

public sealed record TargetRow(string Measure, string MeasureName, string FinancialYear, string AsPrinted, string Meaning, string Set)
{
    public static TargetRow Of(TargetLine t) => new(t.Measure.Code, t.Measure.Name, t.FinancialYear.ToString(), t.AsPrinted, ReportText.TargetMeaning(t), t.Set);
}

public sealed record ReviewView(string FinancialYear, string Heading, IReadOnlyList<string> Comments);

public sealed record PriorityViewModel(
    PlanHeader Plan, string Code, string Title, string Aim, string Introduction, IReadOnlyList<string> Narrative,
    IReadOnlyList<MeasureRow> Rows, IReadOnlyList<ChartView> Charts, IReadOnlyList<TargetRow> Targets, IReadOnlyList<ReviewView> Reviews,
    IReadOnlyList<IGrouping<string, ActionView>> ActionsByTheme)
{
    /// <summary>The published "what our data tells us" and, for analysts, the draft beside it.</summary>
    public Analysis.PriorityAnalysisView? Analysis { get; init; }
}

/// <summary>The board's pages: views of the one typed <see cref="PlanReport"/>, never numbers of their own.</summary>
public sealed class DashboardService(ReportService reports)
{
    public async Task<HomeViewModel> HomeAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var report = await reports.HomeReportAsync(period, ct);
        return Home(report);
    }

    public static HomeViewModel Home(PlanReport report) => new(PlanHeader.Of(report), report.Plan.ExecutiveSummary, report.Plan.AboutThePlan,
        report.Priorities.Select(p => new PriorityCard(p.Code, p.Title, p.Aim, p.Headlines.ToList(), p.Actions.Count)).ToList(),
        report.PartnershipMeasures);

    public async Task<PriorityViewModel?> PriorityAsync(string code, ReportingPeriod period, CancellationToken ct = default)
    {
        var report = await reports.HomeReportAsync(period, ct);
        return report.Priority(code) is { } priority ? Priority(report, priority) : null;
    }

    public static PriorityViewModel Priority(PlanReport report, PriorityReport priority) => new(PlanHeader.Of(report),
        priority.Code, priority.Title, priority.Aim, priority.Introduction, priority.Narrative, priority.Rows,
        priority.Rows.SelectMany(Analytics.AnalyticsCharts.For).ToList(),
        priority.Targets.Select(TargetRow.Of).ToList(),
        priority.Reviews.Select(r => new ReviewView(r.FinancialYear.ToString(), r.Heading, r.Comments)).ToList(),
        priority.Actions.Select(ActionView.Of).GroupBy(a => a.Theme).ToList());

    /// <summary>The two years side by side, as the plan's table compares them.</summary>
    public static ChartView YearOnYearChart(MeasureRow row)
    {
        var year = row.FinancialYear.ToString();
        var previousYear = row.FinancialYear.Previous.ToString();
        var (current, previous) = (row.Periods.Current.Describe(), row.Periods.Previous.Describe());
        var name = row.Measure.Name;
        var labels = new[] { previousYear, year };
        var config = new ChartConfig("bar",
            new ChartData(labels, [new ChartDataset(name, [row.PreviousValue, row.Value], ["#8a9bb0", "#1d4f91"])]),
            new ChartOptions(true, false, new ChartPlugins(new ChartLegend(false), new ChartTitle(true, $"{name}: {current} against {previous}")),
                new ChartScales(new ChartAxis(true, new ChartAxisTitle(true, ReportText.UnitLabel(row.Measure.Unit))))));
        return new ChartView($"chart-{row.Measure.Code}", $"{name}, {previous} and {current}", config,
            ["Period", name],
            [[$"{previousYear} ({previous})", Format.Value(row.PreviousValue, row.Measure.Unit)], [$"{year} ({current})", Format.Value(row.Value, row.Measure.Unit)]]);
    }
}

public static class Format
{
    public static string Value(decimal? value, MeasureUnit unit) => value switch
    {
        null => "–",
        { } v when unit == MeasureUnit.Percentage => $"{v:0.#}%",
        { } v when unit == MeasureUnit.RatePer1000 => v.ToString("0.00"),
        { } v => v.ToString("#,0.##"),
    };

    /// <summary>CSS class for a status word, used beside the icon and the word (never colour alone).</summary>
    public static string StatusClass(string status) => "status-" + status.Replace(' ', '-');
}
