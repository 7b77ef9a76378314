using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

public sealed class UnknownMeasureException(string code) : Exception($"There is no measure with the code '{code}'.");

public sealed class UnknownAreaException(string name) : Exception($"There is no area called '{name}'.");

/// <summary>A measure's value for an area and period, and where it came from.</summary>
/// <param name="PublishedLondonRank">The London rank the plan printed with a published figure (position from the lowest of 32).</param>
/// <param name="PublishedStatus">The plan's "Meeting target?" verdict printed with a published figure.</param>
public sealed record FoundValue(decimal Value, FigureSource Source, string Note, int? PublishedLondonRank = null, TargetStatus? PublishedStatus = null);

/// <summary>
/// Builds the typed <see cref="PlanReport"/> for (plan, area, period), and single comparisons, from stored figures.
/// Everything a report needs is read in a fixed number of queries, whatever the number of measures and boroughs (all
/// boroughs' monthly values and figures for the two years at once, populations at once), then computed in memory.
/// Reports are kept until the data changes: the key includes the <see cref="DataVersion"/> stamp and the day.
/// </summary>
public sealed class ReportService(KcCspDbContext db, ReportingPeriods periods, ReportVersion version, ReportBuilds builds, TimeProvider clock, SpcSettings spcSettings)
{
    /// <summary>The plan's report for its home area: kept until the data changes, built once for all who ask meanwhile.</summary>
    public async Task<PlanReport> HomeReportAsync(ReportingPeriod period, CancellationToken ct = default)
    {
        var stamp = await version.CurrentAsync(ct);
        var today = Today.Of(clock);
        // The build runs in a scope of its own: it is scoped to this request's plan, which is part of the key.
        var planId = db.PlanScopeId ?? await db.ScopedPlan.Select(p => p.Id).FirstAsync(ct);
        return await builds.GetAsync((nameof(PlanReport), planId, stamp, today, period), (service, c) => service.BuildAsync(planId, period, stamp, today, c), ct);
    }

    /// <summary>A measure's like-for-like comparison for any area, over exactly the period asked for (the CLI's `measure` and the API's comparison).</summary>
    public async Task<MeasureRow> CompareAsync(string measureCode, string areaName, ReportingPeriod period, CancellationToken ct = default)
    {
        var (areas, area, measures, measure) = await LookUpAsync(measureCode, areaName, ct);
        var inputs = await ReportInputs.LoadAsync(db, measures, areas, area, period.Year, period.Periods.Current.To, ct, spc: spcSettings, onlyTheseMeasures: true);
        return inputs.Row(measure, period.Periods);
    }

    /// <summary>
    /// A measure's rolling twelve months to <paramref name="to"/> against the twelve before, for any area (the CLI's
    /// `measure --rolling-12` and the API's rolling-12): change, significance, London rank and peer group; no target or
    /// projection, since targets are set for financial years.
    /// </summary>
    public async Task<MeasureRow> RollingTwelveAsync(string measureCode, string areaName, YearMonth to, CancellationToken ct = default)
    {
        var (areas, area, measures, measure) = await LookUpAsync(measureCode, areaName, ct);
        var periods = LikeForLike.Of(Period.RollingTwelveMonths(to));
        var inputs = await ReportInputs.LoadAsync(db, measures, areas, area, to.FinancialYear, to, ct, from: periods.Previous.From, spc: spcSettings, onlyTheseMeasures: true);
        return inputs.Row(measure, periods, rolling: true);
    }

    /// <summary>
    /// Every area (a row ranks the boroughs) with the one asked for, and the measure asked for with the count it is a
    /// rate of (the only other measure its row reads): what one answer needs, not the whole plan. The area is looked up first.
    /// </summary>
    private async Task<(List<Area> Areas, Area Area, List<Measure> Measures, Measure Measure)> LookUpAsync(string measureCode, string areaName, CancellationToken ct)
    {
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        var area = FindArea(areas, areaName) ?? throw new UnknownAreaException(areaName);
        var measures = await db.Measures.AsNoTracking()
            .Where(m => m.Code == measureCode || db.Measures.Any(r => r.Code == measureCode && (r.RateOfMeasureId == m.Id || r.ShareOfMeasureId == m.Id))).ToListAsync(ct);
        var measure = measures.SingleOrDefault(m => m.Code == measureCode) ?? throw new UnknownMeasureException(measureCode);
        return (areas, area, measures, measure);
    }

    /// <summary>An area by name (case, spacing and "&amp;" ignored) or ONS code.</summary>
    public async Task<Area?> FindAreaAsync(string name, CancellationToken ct = default) => FindArea(await db.Areas.AsNoTracking().ToListAsync(ct), name);

    internal static Area? FindArea(IEnumerable<Area> areas, string name)
    {
        var key = AreaNames.Key(name);
        return areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key || string.Equals(a.Code, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private async Task<PlanReport> BuildAsync(int planId, ReportingPeriod period, Guid stamp, DateOnly today, CancellationToken ct)
    {
        db.ScopeToPlan(planId);
        var plan = await db.Plans.AsNoTracking().Include(p => p.HomeArea).SingleAsync(p => p.Id == planId, ct);
        var home = plan.HomeArea!;
        var priorities = await db.Priorities.AsNoTracking().Where(p => p.PlanId == plan.Id)
            .Include(p => p.Reviews).Include(p => p.Actions).AsSplitQuery()
            .OrderBy(p => p.SortOrder).ToListAsync(ct);
        var measures = await db.Measures.AsNoTracking().ToListAsync(ct);
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        var actionIds = priorities.SelectMany(p => p.Actions).Select(a => a.Id).ToList();
        var updates = (await db.ActionUpdates.AsNoTracking().Where(u => actionIds.Contains(u.ActionId)).ToListAsync(ct))
            .GroupBy(u => u.ActionId)
            .ToDictionary(g => g.Key, g => Planning.ActionUpdates.NewestFirst(g).First());
        var inputs = await ReportInputs.LoadAsync(db, measures, areas, home, period.Year, period.Periods.Current.To, ct, spc: spcSettings);
        inputs.SpcBaselineTo = period.BaselineTo;
        var years = await periods.YearsAsync(ct);

        var ordered = measures.OrderBy(m => m.SortOrder).ThenBy(m => m.Id).ToList();
        var priorityReports = priorities.Select(p =>
        {
            var own = ordered.Where(m => m.PriorityId == p.Id).ToList();
            var ids = own.Select(m => m.Id).ToHashSet();
            var targets = inputs.Targets.Where(t => ids.Contains(t.MeasureId))
                .OrderBy(t => t.FinancialYear).ThenBy(t => inputs.Measure(t.MeasureId).SortOrder)
                .Select(inputs.Line).ToList();
            var actions = p.Actions.OrderBy(a => a.SortOrder).Select(a => new ActionLine(a.Id, a.Theme, a.Text, a.Detail, a.LeadAgency, a.FinancialYear,
                a.DueDate, a.Status, a.PercentComplete, ActionProgress.IsOverdue(a.DueDate, a.Status, today),
                updates.TryGetValue(a.Id, out var u) ? new ActionUpdateLine(u.Id, u.Date, u.Status, u.PercentComplete, u.Commentary, u.AuthorName, u.CreatedAt) : null))
                .ToList();
            var reviews = p.Reviews.OrderBy(r => r.SortOrder)
                .Select(r => new ReviewLine(r.FinancialYear, r.Heading, r.Comments.Split('\n', StringSplitOptions.RemoveEmptyEntries))).ToList();
            return new PriorityReport(p.Id, p.Code, p.Title, p.Aim, p.Introduction, p.Narrative.Split('\n', StringSplitOptions.RemoveEmptyEntries), p.SortOrder,
                own.Select(m => inputs.TableRow(m, period)).ToList(), targets, reviews, actions);
        }).ToList();

        return new PlanReport
        {
            Plan = new ReportPlan(plan.Title, plan.Partnership, plan.Years, plan.ExecutiveSummary, plan.AboutThePlan),
            Area = ReportInputs.View(home),
            Period = period,
            ChoosableYears = years,
            Priorities = priorityReports,
            PartnershipMeasures = ordered.Where(m => m.PriorityId == null).Select(m => inputs.TableRow(m, period)).ToList(),
            Today = today,
            DataStamp = stamp,
        };
    }
}

/// <summary>Actions' progress rules shared by every view of an action.</summary>
public static class ActionProgress
{
    /// <summary>Past its due date and not complete.</summary>
    public static bool IsOverdue(DateOnly? due, ActionStatus status, DateOnly today) => due is { } d && d < today && status != ActionStatus.Complete;
}

/// <summary>Of several stored figures for the same measure, area and period: an analyst's entry, then an imported figure,
/// then the plan's published one; the latest entered first.</summary>
public static class FigurePrecedence
{
    public static Figure? Preferred(IEnumerable<Figure> figures) => figures
        .OrderBy(f => f.Source == FigureSource.Manual ? 0 : f.Source == FigureSource.Imported ? 1 : 2)
        .ThenByDescending(f => f.EnteredAt.UtcTicks)
        .FirstOrDefault();
}

/// <summary>
/// Everything one report reads, loaded in a fixed number of queries, and the rules that compute a row from it: values
/// (imported monthly values covering every month, then analysts' figures, then the plan's; rates derived from their
/// count measure and the population), targets and their evaluation, year-end projection, London rank, significance.
/// </summary>
internal sealed class ReportInputs
{
    private Dictionary<int, Measure> measures = [];
    private List<Area> ranked = [];
    private Area area = null!;
    private ILookup<(int Measure, int Area), (YearMonth Month, long Value, int ImportId)> monthly = null!;
    private ILookup<(int Measure, int Area), Figure> figures = null!;
    private Dictionary<(int Area, int Year), Population> populations = [];
    private Dictionary<int, (string File, string Source)> importFiles = [];
    private ILookup<(int Measure, FinancialYear Year), Target> targetsByYear = null!;
    private ILookup<int, string> categoryCodes = null!;
    private PeerGroup? peerGroup;
    public List<Target> Targets { get; private set; } = [];

    /// <summary>The last month of the XmR charts' baseline when a reader chose one (see <see cref="SpcCharts.ForPeriod"/>).</summary>
    public YearMonth? SpcBaselineTo { get; set; }

    /// <param name="toMonth">The last month of the report's period: values are read from April of the year before to it.</param>
    /// <param name="from">An earlier first month to read from (a rolling twelve months against the twelve before).</param>
    /// <param name="onlyTheseMeasures">Read values, figures, targets and categories of <paramref name="measures"/> only (one
    /// measure's comparison), rather than of every measure (a whole report, which passes them all).</param>
    /// <param name="spc">Run lengths for the XmR charts; the area's own months are read back <see cref="SpcCharts.DefaultBaselineMonths"/> further for their baseline.</param>
    public static async Task<ReportInputs> LoadAsync(KcCspDbContext db, List<Measure> measures, List<Area> areas, Area area, FinancialYear year, YearMonth toMonth, CancellationToken ct, YearMonth? from = null, SpcSettings? spc = null, bool onlyTheseMeasures = false)
    {
        var only = onlyTheseMeasures ? measures.Select(m => m.Id).ToList() : null;
        IQueryable<MeasureMonthValue> values = db.MeasureMonthValues.AsNoTracking();
        IQueryable<Figure> storedFigures = db.Figures.AsNoTracking();
        IQueryable<Target> storedTargets = db.Targets.AsNoTracking();
        IQueryable<MeasureCategory> measureCategories = db.MeasureCategories;
        if (only is not null)
        {
            values = values.Where(v => only.Contains(v.MeasureId));
            storedFigures = storedFigures.Where(f => only.Contains(f.MeasureId));
            storedTargets = storedTargets.Where(t => only.Contains(t.MeasureId));
            measureCategories = measureCategories.Where(mc => only.Contains(mc.MeasureId));
        }
        var first = from is { } f && f < year.Previous.Start ? f : year.Previous.Start;
        var history = new YearMonth(year.StartYear, FinancialYear.FirstMonth).AddMonths(-SpcCharts.DefaultBaselineMonths);
        if (history > first) history = first;
        var groups = await db.PeerGroups.AsNoTracking().Include(g => g.Members).ToListAsync(ct);
        var peerGroup = PeerGroups.For(groups, area.Id);
        var ranked = RankedWith(areas, area);
        var areaIds = ranked.Select(a => a.Id).Append(area.Id)
            .Concat(peerGroup?.Members.Select(m => m.AreaId) ?? []).Distinct().ToList();
        var monthValues = await values
            .Where(v => areaIds.Contains(v.AreaId) && v.Month >= first && v.Month <= toMonth
                || v.AreaId == area.Id && v.Month >= history && v.Month < first)
            .Select(v => new { v.MeasureId, v.AreaId, v.Month, v.Value, v.ImportId })
            .ToListAsync(ct);
        var figures = await storedFigures
            .Where(f => areaIds.Contains(f.AreaId) && f.From >= first && f.To <= toMonth
                || f.AreaId == area.Id && f.From == f.To && f.From >= history && f.From < first)
            .ToListAsync(ct);
        var populationYears = Enumerable.Range(first.FinancialYear.StartYear, year.StartYear - first.FinancialYear.StartYear + 1).ToList();
        var populations = await db.Populations.AsNoTracking().Where(p => populationYears.Contains(p.Year)).ToListAsync(ct);
        var targets = await storedTargets.OrderBy(t => t.Id).ToListAsync(ct);
        var importIds = monthValues.Select(v => v.ImportId).Distinct().ToList();
        var files = importIds.Count == 0 ? [] : await db.CrimeImports.AsNoTracking().Where(i => importIds.Contains(i.Id))
            .Select(i => new { i.Id, i.FileName, i.Source }).ToDictionaryAsync(i => i.Id, i => (i.FileName, i.Source), ct);
        var categories = await (from mc in measureCategories join c in db.CrimeCategories on mc.CategoryId equals c.Id
                                select new { mc.MeasureId, c.Code }).ToListAsync(ct);
        return new ReportInputs
        {
            categoryCodes = categories.ToLookup(c => c.MeasureId, c => c.Code),
            measures = measures.ToDictionary(m => m.Id),
            ranked = ranked,
            area = area,
            monthly = monthValues.ToLookup(v => (v.MeasureId, v.AreaId), v => (v.Month, v.Value, v.ImportId)),
            figures = figures.ToLookup(f => (f.MeasureId, f.AreaId)),
            populations = populations.GroupBy(p => (p.AreaId, p.Year)).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Id).First()),
            importFiles = files,
            Targets = targets,
            targetsByYear = targets.ToLookup(t => (t.MeasureId, t.FinancialYear)),
            peerGroup = peerGroup,
            spcSettings = spc ?? new SpcSettings(),
            peerAreas = areas.Where(a => peerGroup?.Members.Any(m => m.AreaId == a.Id) == true).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    private List<Area> peerAreas = [];
    private SpcSettings spcSettings = new();

    public Measure Measure(int id) => measures[id];

    public static ReportArea View(Area a) => new(a.Id, a.Name, a.Code, a.InLondonRanking, RankedAmong(a));

    /// <summary>
    /// Whom an area's measures are ranked among: a London borough among the 32 (as the plan's London rank); a local
    /// authority outside London among its police force's local authorities (the other partnerships of its force, which
    /// police.uk imports place); none for the City of London, pseudo-areas and regions.
    /// </summary>
    public static List<Area> RankedWith(IEnumerable<Area> areas, Area area) =>
        area.InLondonRanking ? areas.Where(a => a.InLondonRanking).ToList()
        : RankedAmong(area) is { } force ? areas.Where(a => a.Kind == AreaKind.Borough && !a.InLondonRanking && a.Force == force && a.Code != null).ToList()
        : [];

    private static string? RankedAmong(Area a) =>
        a.InLondonRanking ? "London"
        : a.Kind == AreaKind.Borough && a.Code != null && !string.IsNullOrEmpty(a.Force) && !a.Code.StartsWith("E09", StringComparison.OrdinalIgnoreCase) ? a.Force
        : null;

    public static ReportMeasure View(Measure m) => new(m.Id, m.Code, m.Name, m.Unit, m.Polarity, m.IsHeadline, m.SortOrder);

    public TargetLine Line(Target t) => new(View(measures[t.MeasureId]), t.FinancialYear, t.Form, t.Value, t.AsPrinted, t.Set);

    /// <summary>
    /// The row a Section 2 table shows for the reporting period; where the measure's figures run to an earlier month of
    /// the same year (the plan's youth crime is April–December), the row uses that period instead.
    /// </summary>
    public MeasureRow TableRow(Measure measure, ReportingPeriod period)
    {
        var wanted = period.Periods;
        var row = Row(measure, wanted);
        if (row.Current is not null) return row;
        var ends = figures[(measure.Id, area.Id)].Where(f => f.From == period.Year.Start && f.To <= wanted.Current.To).Select(f => f.To).ToList();
        return ends.Count > 0 && ends.Max() is var end && end != wanted.Current.To
            ? Row(measure, LikeForLike.YearToDate(period.Year, end.Month))
            : row;
    }

    /// <param name="rolling">A rolling twelve months: no target (targets are for financial years) and no year-end projection.</param>
    public MeasureRow Row(Measure measure, LikeForLike periods, bool rolling = false)
    {
        var year = periods.Current.From.FinancialYear;
        var current = Find(measure, area, periods.Current);
        var previous = Find(measure, area, periods.Previous);
        var change = current is not null && previous is not null ? Change.Percent(current.Value, previous.Value) : null;
        var target = rolling ? null : targetsByYear[(measure.Id, year)].FirstOrDefault();
        var complete = periods.Current.IsFullFinancialYear;
        decimal? projected = null;
        if (!rolling && !complete && current is not null && previous is not null && measure.Unit == MeasureUnit.Count
            && Find(measure, area, Period.FullFinancialYear(year.Previous)) is { } fullPrevious)
        {
            projected = Projection.YearEnd(current.Value, previous.Value, fullPrevious.Value);
        }

        SignificanceResult? significance = null;
        if (measure.Unit == MeasureUnit.Count && current is not null && previous is not null
            && decimal.IsInteger(current.Value) && decimal.IsInteger(previous.Value) && current.Value >= 0 && previous.Value >= 0)
        {
            var s = PoissonMeansTest.Test((long)previous.Value, (long)current.Value);
            significance = s with { PValue = Math.Round(s.PValue, 4) };
        }

        return new MeasureRow
        {
            Measure = View(measure),
            Area = View(area),
            Periods = periods,
            Current = current,
            Previous = previous,
            ChangePercent = change,
            LondonRank = Rank(measure, periods.Current, current),
            Evaluation = rolling
                ? new TargetEvaluation(TargetStatus.NoTarget, "Targets are set for financial years: a rolling twelve months is not judged against them.")
                : Evaluate(measure, target, current, previous, complete, projected, periods.Current.MonthCount),
            Target = target is null ? null : Line(target),
            ProjectedYearEnd = projected,
            Significance = significance,
            Published = Published(measure, periods, current),
            PeerGroup = PeerPosition(measure, periods.Current),
            Months = rolling ? [] : Trend(measure, periods),
            Spc = rolling ? null : Spc(measure, periods.Current, target),
            // A rate counts the categories of its count measure.
            TaxonomyChanges = Reporting.TaxonomyChanges.CrossedBy(periods, categoryCodes[measure.RateOfMeasureId ?? measure.Id].ToHashSet()),
        };
    }

    private FoundValue? Find(Measure measure, Area at, Period period)
    {
        if (measure.ShareOfMeasureId is { } wholeId && measures.TryGetValue(wholeId, out var whole) && Imported(measure, at, period) is { } part)
        {
            // A share of another crime measure (crimes charged or summonsed out of all crimes): both counts over the
            // same months, from the same source's authoritative imports.
            if (Find(whole, at, period) is not { Value: > 0 } all) return null;
            return new FoundValue(Change.RoundHalfAwayFromZero(part.Value * 100m / all.Value, 1), FigureSource.Imported,
                $"{part.Value:0} of {all.Value:0} ({whole.Name}); {part.Note}");
        }
        if (Imported(measure, at, period) is { } imported) return imported;
        var stored = FigurePrecedence.Preferred(figures[(measure.Id, at.Id)].Where(f => f.From == period.From && f.To == period.To));
        if (stored is not null) return new FoundValue(stored.Value, stored.Source, stored.SourceNote, stored.PublishedLondonRank, stored.PublishedStatus);

        if (measure.Unit == MeasureUnit.RatePer1000 && measure.RateOfMeasureId is { } countId && measures.TryGetValue(countId, out var countMeasure))
        {
            var count = Find(countMeasure, at, period);
            if (count is not null && Population(at, period.From.FinancialYear) is { } p)
            {
                return new FoundValue(Rate.Per1000(count.Value, p.Value), count.Source,
                    $"{countMeasure.Name} {count.Value:0} per 1,000 of {p.Value:N0} residents ({p.Source} {p.Year})");
            }
        }
        return null;
    }

    /// <summary>The sum of the monthly values derived from imported extracts, when they cover every month of the period.</summary>
    private FoundValue? Imported(Measure measure, Area at, Period period)
    {
        var months = monthly[(measure.Id, at.Id)].Where(v => period.Contains(v.Month)).ToList();
        if (months.Count == 0 || months.Count != period.MonthCount) return null;
        var ids = months.Select(m => m.ImportId).Distinct().Order().ToList();
        var files = ids.Select(id => "#" + id + " " + importFiles[id].File);
        // A measure adds up one taxonomy's categories, so its months come from one source's imports.
        var source = CrimeSources.Describe(importFiles[ids[0]].Source);
        return new FoundValue(months.Sum(m => m.Value), FigureSource.Imported, $"{source}, import {string.Join("; ", files)}");
    }

    /// <summary>The population used for a financial year: the mid-year estimate of the year it starts in.</summary>
    private Population? Population(Area at, FinancialYear year) => populations.GetValueOrDefault((at.Id, year.StartYear));

    private PublishedRow? Published(Measure measure, LikeForLike periods, FoundValue? current)
    {
        if (current is null || current.Source == FigureSource.Published) return null;
        var published = figures[(measure.Id, area.Id)].Where(f => f.Source == FigureSource.Published).OrderBy(f => f.Id).ToList();
        var now = published.FirstOrDefault(f => f.From == periods.Current.From && f.To == periods.Current.To);
        if (now is null) return null;
        var before = published.FirstOrDefault(f => f.From == periods.Previous.From && f.To == periods.Previous.To);
        return new PublishedRow(now.Value, before?.Value, before is null ? null : Change.Percent(now.Value, before.Value),
            now.PublishedLondonRank is { } rank ? new LondonRank(rank, LondonRank.LondonBoroughs) : null,
            now.PublishedStatus ?? TargetStatus.NoTarget);
    }

    private static TargetEvaluation Evaluate(Measure measure, Target? target, FoundValue? current, FoundValue? previous, bool complete, decimal? projected, int months)
    {
        if (target is not null)
        {
            return current is null
                ? new TargetEvaluation(TargetStatus.NoTarget, $"Target {target.AsPrinted} set, but there is no figure for this period yet.")
                : TargetEvaluator.Evaluate(target.Form, target.Value, measure.Polarity, current.Value, previous?.Value, complete, projected, months);
        }
        if (current is { Source: FigureSource.Published, PublishedStatus: { } published })
        {
            return new TargetEvaluation(published, $"As published in the plan (\"Meeting target?\": {TargetStatusText.Icon(published)}).");
        }
        return new TargetEvaluation(TargetStatus.NoTarget, "No target is set for this measure and year.");
    }

    /// <summary>The months of the period beside the same months a year earlier, with running totals; empty when no month has a value.</summary>
    private IReadOnlyList<TrendMonth> Trend(Measure measure, LikeForLike periods)
    {
        if (periods.Current.MonthCount > 12) return [];
        decimal? runningNow = 0m, runningBefore = 0m;
        var months = new List<TrendMonth>(periods.Current.MonthCount);
        foreach (var month in periods.Current.Months)
        {
            var now = Find(measure, area, Period.SingleMonth(month))?.Value;
            var before = Find(measure, area, Period.SingleMonth(month.AddMonths(-12)))?.Value;
            // A running total stops at the first month without a value: a total with a gap in it would mislead.
            runningNow = now is { } n && runningNow is { } rn ? rn + n : null;
            runningBefore = before is { } b && runningBefore is { } rb ? rb + b : null;
            months.Add(new TrendMonth(month, now, before, measure.Unit == MeasureUnit.Count ? runningNow : null, measure.Unit == MeasureUnit.Count ? runningBefore : null));
        }
        return months.Any(m => m.Value is not null || m.PreviousValue is not null) ? months : [];
    }

    /// <summary>The XmR chart beside any window (no target read: a window need not be a financial year), for the drafted analysis.</summary>
    public SpcChart? SpcOf(Measure measure, Period period) => Spc(measure, period, null);

    /// <summary>The XmR chart of the period (see <see cref="SpcCharts.ForPeriod"/>) from the area's monthly values.</summary>
    private SpcChart? Spc(Measure measure, Period period, Target? target)
    {
        var values = new Dictionary<YearMonth, decimal>();
        for (var month = period.From.AddMonths(-SpcCharts.DefaultBaselineMonths); month <= period.To; month = month.AddMonths(1))
            if (Find(measure, area, Period.SingleMonth(month)) is { } found) values[month] = found.Value;
        return values.Count < 2 ? null : SpcCharts.ForPeriod(measure, area.Name, period, values, SpcCharts.MonthlyTarget(target), spcSettings, SpcBaselineTo);
    }

    /// <summary>
    /// The area's position in its peer group by rate per 1,000 residents; null when the measure has no rate (a
    /// percentage), the area is in no group, or any member lacks a value or (for a count) a population: a position among
    /// some of the group would mislead.
    /// </summary>
    private PeerGroupPosition? PeerPosition(Measure measure, Period period)
    {
        if (peerGroup is null || measure.Unit == MeasureUnit.Percentage) return null;
        var members = new List<PeerMemberRate>(peerAreas.Count);
        foreach (var borough in peerAreas)
        {
            if (Find(measure, borough, period) is not { } value || RateOf(measure, borough, period, value) is not { } rate) return null;
            members.Add(new PeerMemberRate(View(borough), value.Value, rate));
        }
        var rank = LondonRank.Of(members.Select(m => new KeyValuePair<string, decimal>(m.Area.Name, m.Rate)), area.Name);
        if (rank is null) return null;
        var average = Change.RoundHalfAwayFromZero(members.Average(m => m.Rate), 2);
        return new PeerGroupPosition(peerGroup.Name, rank.Value, average, members);
    }

    /// <summary>What boroughs are ranked by: a count per 1,000 residents (null without the population), a rate as it is.</summary>
    private decimal? RateOf(Measure measure, Area borough, Period period, FoundValue value) =>
        measure.Unit != MeasureUnit.Count ? value.Value
        : Population(borough, period.From.FinancialYear) is { } population ? Rate.Per1000(value.Value, population.Value)
        : null;

    /// <summary>The printed rank of a published figure, else the rank by rate per 1,000 among the boroughs when every one has a value.</summary>
    private RankedPosition? Rank(Measure measure, Period period, FoundValue? current)
    {
        if (current is { Source: FigureSource.Published, PublishedLondonRank: { } position })
            return new RankedPosition(new LondonRank(position, LondonRank.LondonBoroughs), RankSource.Published);
        if (current is null || ranked.Count < 2 || !ranked.Any(a => a.Id == area.Id)) return null;
        var rates = new List<KeyValuePair<string, decimal>>();
        foreach (var borough in ranked)
        {
            var value = borough.Id == area.Id ? current : Find(measure, borough, period);
            if (value is null || RateOf(measure, borough, period, value) is not { } rate) return null;
            rates.Add(new(borough.Name, rate));
        }
        return LondonRank.Of(rates, area.Name) is { } rank ? new RankedPosition(rank, RankSource.Computed) : null;
    }
}
