using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Web.Features;

public sealed record PlanHeader(string Title, string Partnership, string Years, string Area, string FinancialYear, int ToMonth, string PeriodDescription, string PreviousPeriodDescription)
{
    /// <summary>"?year=2009/10&amp;toMonth=1": carried on links so every page, download and the board pack describe the same period.</summary>
    public string Query => $"?year={Uri.EscapeDataString(FinancialYear)}&toMonth={ToMonth}";

    /// <summary>The financial years a reader can choose, newest first.</summary>
    public IReadOnlyList<string> ChoosableYears { get; init; } = [];
}

public sealed record PriorityCard(string Code, string Title, string Aim, IReadOnlyList<MeasureComparison> Headlines, int ActionCount);

public sealed record HomeViewModel(PlanHeader Plan, string ExecutiveSummary, string AboutThePlan, IReadOnlyList<PriorityCard> Priorities, IReadOnlyList<MeasureComparison> PartnershipMeasures);

public sealed record ActionView(int Id, string Theme, string Text, string Detail, string LeadAgency, DateOnly? DueDate, string Status, int PercentComplete,
    bool Overdue = false, KcCsp.Web.Features.People.UpdateView? LatestUpdate = null);

public sealed record TargetRow(string Measure, string MeasureName, string FinancialYear, string AsPrinted, string Meaning, string Set);

public sealed record ReviewView(string FinancialYear, string Heading, IReadOnlyList<string> Comments);

public sealed record PriorityViewModel(
    PlanHeader Plan, string Code, string Title, string Aim, string Introduction, IReadOnlyList<string> Narrative,
    IReadOnlyList<MeasureComparison> Rows, IReadOnlyList<ChartView> Charts, IReadOnlyList<TargetRow> Targets, IReadOnlyList<ReviewView> Reviews,
    IReadOnlyList<IGrouping<string, ActionView>> ActionsByTheme);

/// <summary>Builds the board's pages from stored figures: every number is computed by the comparison service, never typed into a view.</summary>
public sealed class DashboardService(KcCspDbContext db, ComparisonService comparisons, ReportingPeriods reportingPeriods, TimeProvider clock)
{
    private async Task<(Plan Plan, PlanHeader Header)> PlanAsync(ReportingPeriod period, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.HomeArea).OrderBy(p => p.Id).FirstAsync(ct);
        var periods = period.Periods;
        var header = new PlanHeader(plan.Title, plan.Partnership, plan.Years, plan.HomeArea!.Name, period.Year.ToString(),
            period.ToMonth, periods.Current.Describe(), periods.Previous.Describe())
        {
            ChoosableYears = (await reportingPeriods.YearsAsync(ct)).Select(y => y.ToString()).ToList(),
        };
        return (plan, header);
    }

    public async Task<HomeViewModel> HomeAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var (plan, header) = await PlanAsync(period, ct);
        var priorities = await db.Priorities.AsNoTracking().Where(p => p.PlanId == plan.Id).OrderBy(p => p.SortOrder)
            .Select(p => new { p.Code, p.Title, p.Aim, Measures = p.Measures.Where(m => m.IsHeadline).OrderBy(m => m.SortOrder).ToList(), Actions = p.Actions.Count })
            .ToListAsync(ct);
        var cards = new List<PriorityCard>();
        foreach (var p in priorities)
        {
            var rows = new List<MeasureComparison>();
            foreach (var m in p.Measures) rows.Add(await comparisons.CompareForTableAsync(m, plan.HomeArea!, period.Year, period.ToMonth, ct));
            cards.Add(new PriorityCard(p.Code, p.Title, p.Aim, rows, p.Actions));
        }
        var other = new List<MeasureComparison>();
        foreach (var m in await db.Measures.AsNoTracking().Where(m => m.PriorityId == null).OrderBy(m => m.SortOrder).ToListAsync(ct))
        {
            other.Add(await comparisons.CompareForTableAsync(m, plan.HomeArea!, period.Year, period.ToMonth, ct));
        }
        return new HomeViewModel(header, plan.ExecutiveSummary, plan.AboutThePlan, cards, other);
    }

    public async Task<PriorityViewModel?> PriorityAsync(string code, ReportingPeriod period, CancellationToken ct = default)
    {
        var (plan, header) = await PlanAsync(period, ct);
        var priority = await db.Priorities.AsNoTracking()
            .Include(p => p.Measures).Include(p => p.Reviews).Include(p => p.Actions).ThenInclude(a => a.Updates).AsSplitQuery()
            .SingleOrDefaultAsync(p => p.Code == code, ct);
        if (priority is null) return null;

        var rows = new List<MeasureComparison>();
        foreach (var m in priority.Measures.OrderBy(m => m.SortOrder))
        {
            rows.Add(await comparisons.CompareForTableAsync(m, plan.HomeArea!, period.Year, period.ToMonth, ct));
        }
        var charts = rows.Where(r => r.Value is not null || r.Previous is not null).Select(YearOnYearChart).ToList();
        var measureIds = priority.Measures.Select(m => m.Id).ToList();
        var targets = (await db.Targets.AsNoTracking().Include(t => t.Measure).Where(t => measureIds.Contains(t.MeasureId)).ToListAsync(ct))
            .OrderBy(t => t.FinancialYear).ThenBy(t => t.Measure!.SortOrder)
            .Select(t => new TargetRow(t.Measure!.Code, t.Measure.Name, t.FinancialYear.ToString(), t.AsPrinted, TargetMeaning(t, t.Measure.Unit), t.Set))
            .ToList();
        var reviews = priority.Reviews.OrderBy(r => r.SortOrder)
            .Select(r => new ReviewView(r.FinancialYear.ToString(), r.Heading, r.Comments.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var actions = priority.Actions.OrderBy(a => a.SortOrder)
            .Select(a => new ActionView(a.Id, a.Theme, a.Text, a.Detail, a.LeadAgency, a.DueDate, ActionStatusText.Word(a.Status), a.PercentComplete,
                People.ActionProgress.IsOverdue(a.DueDate, a.Status, today),
                a.Updates.OrderByDescending(u => u.Date).ThenByDescending(u => u.Id).Select(People.ActionPlanService.View).FirstOrDefault()))
            .GroupBy(a => a.Theme)
            .ToList();
        return new PriorityViewModel(header, priority.Code, priority.Title, priority.Aim, priority.Introduction,
            priority.Narrative.Split('\n', StringSplitOptions.RemoveEmptyEntries), rows, charts, targets, reviews, actions);
    }

    /// <summary>How the portal reads a target: what "met" means for it.</summary>
    public static string TargetMeaning(Target target, MeasureUnit unit) => target.Form switch
    {
        TargetForm.ChangeAgainstPreviousYear => $"a change of {Change.Format(target.Value)} or better against the previous year",
        TargetForm.CeilingOnGrowth => $"growth of at most {Change.Format(target.Value)} against the previous year",
        TargetForm.Level => $"a level of {target.Value:0.##}%",
        _ => unit == MeasureUnit.RatePer1000 ? $"a rate of {target.Value:0.00} per 1,000 residents" : $"{target.Value:#,0.##} for the year",
    };

    /// <summary>The two years side by side, as the plan's table compares them.</summary>
    public static ChartView YearOnYearChart(MeasureComparison row)
    {
        var previousYear = FinancialYear.Parse(row.FinancialYear).Previous.ToString();
        var labels = new[] { previousYear, row.FinancialYear };
        var config = new ChartConfig("bar",
            new ChartData(labels, [new ChartDataset(row.MeasureName, [row.Previous, row.Value], ["#8a9bb0", "#1d4f91"])]),
            new ChartOptions(true, false, new ChartPlugins(new ChartLegend(false), new ChartTitle(true, $"{row.MeasureName}: {row.Period.Description} against {row.PreviousPeriod.Description}")),
                new ChartScales(new ChartAxis(true, new ChartAxisTitle(true, UnitLabel(row.Unit))))));
        return new ChartView($"chart-{row.Measure}", $"{row.MeasureName}, {row.PreviousPeriod.Description} and {row.Period.Description}", config,
            ["Period", row.MeasureName],
            [[$"{previousYear} ({row.PreviousPeriod.Description})", Format.Value(row.Previous, row.Unit)], [$"{row.FinancialYear} ({row.Period.Description})", Format.Value(row.Value, row.Unit)]]);
    }

    public static string UnitLabel(string unit) => unit switch
    {
        nameof(MeasureUnit.RatePer1000) => "Rate per 1,000 residents",
        nameof(MeasureUnit.Percentage) => "Percentage",
        _ => "Offences / incidents",
    };
}

public static class ActionStatusText
{
    public static string Word(ActionStatus status) => status switch
    {
        ActionStatus.NotStarted => "not started",
        ActionStatus.OnTrack => "on track",
        ActionStatus.AtRisk => "at risk",
        ActionStatus.OffTrack => "off track",
        ActionStatus.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}

public static class Format
{
    public static string Value(decimal? value, string unit) => value switch
    {
        null => "–",
        { } v when unit == nameof(MeasureUnit.Percentage) => $"{v:0.#}%",
        { } v when unit == nameof(MeasureUnit.RatePer1000) => v.ToString("0.00"),
        { } v => v.ToString("#,0.##"),
    };

    /// <summary>CSS class for a status word, used beside the icon and the word (never colour alone).</summary>
    public static string StatusClass(string status) => "status-" + status.Replace(' ', '-');
}
