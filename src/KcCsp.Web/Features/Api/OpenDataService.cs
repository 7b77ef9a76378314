using KcCsp.Data.Planning;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features.Api;

/// <summary>An area name or measure/priority code the API was given does not exist: a 404 naming it.</summary>
public sealed class NotFoundInApiException(string message) : Exception(message);

/// <summary>
/// What the read-only JSON API (`/api`) answers: priorities and comparisons from <see cref="ReportService"/>'s typed
/// report, as the CLI's `measure --json` prints them; monthly series from <see cref="MonthlySeries"/>.
/// </summary>
public sealed class OpenDataService(PlanCatalog plan, ReportService reports, MonthlySeries monthly, ReportingPeriods periods, ActionUpdates updates, TimeProvider clock)
{
    public async Task<IReadOnlyList<ApiPriority>> PrioritiesAsync(CancellationToken ct = default) =>
        (await plan.PrioritiesAsync(ct))
        .Select(p => new ApiPriority(p.Code, p.Title, p.Aim, p.SortOrder, p.Measures.OrderBy(m => m.SortOrder).Select(m => m.Code).ToList(), p.Actions.Count))
        .ToList();

    public async Task<ApiPriorityDetail> PriorityAsync(string code, string? year, int? toMonth, CancellationToken ct = default)
    {
        var period = await periods.ResolveAsync(year, toMonth, ct);
        var report = await reports.HomeReportAsync(period, ct);
        var priority = report.Priority(code) ?? throw UnknownPriority(code);
        return new ApiPriorityDetail(priority.Code, priority.Title, priority.Aim, priority.Introduction, priority.Narrative,
            period.Year.ToString(), period.ToMonth, priority.Rows.Select(MeasureComparison.From).ToList(),
            priority.Targets.Select(TargetRow.Of).ToList(), await ActionsOfAsync(code, ct));
    }

    public async Task<IReadOnlyList<ApiMeasure>> MeasuresAsync(CancellationToken ct = default) =>
        (await plan.MeasuresAsync(ct))
        .Select(ToApi).ToList();

    public async Task<ApiMeasure> MeasureAsync(string code, CancellationToken ct = default) =>
        ToApi(await plan.MeasureAsync(code, ct) ?? throw new NotFoundInApiException(new UnknownMeasureException(code).Message));

    /// <summary>The same record, from the same method, as `measure CODE --area AREA --year YEAR --to-month M --json`.</summary>
    public async Task<MeasureComparison> ComparisonAsync(string code, string? area, string? year, int? toMonth, CancellationToken ct = default)
    {
        var period = await periods.ResolveAsync(year, toMonth, ct);
        var areaName = string.IsNullOrWhiteSpace(area) ? (await HomeAreaAsync(ct)).Name : area;
        try
        {
            return MeasureComparison.From(await reports.CompareAsync(code, areaName, period, ct));
        }
        catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
        {
            throw new NotFoundInApiException(e.Message);
        }
    }

    /// <summary>A measure's monthly values for an area; by default both years of the default comparison.</summary>
    public async Task<ApiSeries> SeriesAsync(string code, string? area, string? from, string? to, CancellationToken ct = default)
    {
        var measure = await plan.FindMeasureAsync(code, ct)
            ?? throw new NotFoundInApiException(new UnknownMeasureException(code).Message);
        var found = string.IsNullOrWhiteSpace(area) ? await HomeAreaAsync(ct)
            : await reports.FindAreaAsync(area, ct) ?? throw new NotFoundInApiException(new UnknownAreaException(area).Message);
        var fallback = (await periods.DefaultAsync(ct)).Periods;
        var first = string.IsNullOrWhiteSpace(from) ? fallback.Previous.From : periods.ParseMonth("from", from);
        var last = string.IsNullOrWhiteSpace(to) ? fallback.Current.To : periods.ParseMonth("to", to);
        if (first > last) throw new BadPeriodException("from", $"from: {first} is after to: {last}.");
        var points = await monthly.ReadAsync([measure.Id], found.Id, first, last, ct);
        return new ApiSeries(measure.Code, measure.Name, measure.Unit.ToString(), found.Name, first.ToString(), last.ToString(),
            points.Select(p => new ApiSeriesPoint(p.Month, p.Value, p.Source, p.SourceNote)).ToList());
    }

    /// <summary>Every action, or one priority's, with its latest update.</summary>
    public async Task<IReadOnlyList<ApiAction>> ActionsAsync(string? priorityCode, CancellationToken ct = default)
    {
        if (priorityCode is not null && !await plan.PriorityExistsAsync(priorityCode, ct)) throw UnknownPriority(priorityCode);
        return await ActionsOfAsync(priorityCode, ct);
    }

    /// <summary>As <see cref="ActionsAsync"/>, for a priority already known to exist.</summary>
    private async Task<IReadOnlyList<ApiAction>> ActionsOfAsync(string? priorityCode, CancellationToken ct)
    {
        var actions = await plan.ActionsAsync(priorityCode, ct);
        var history = await updates.HistoryAsync(actions.Select(a => a.Id).ToList(), ct);
        var today = Today.Of(clock);
        return actions.Select(a =>
        {
            var updatesOfAction = history.TryGetValue(a.Id, out var list) ? list : [];
            return new ApiAction(a.Id, a.Priority!.Code, a.Theme, a.Text, a.Detail, a.LeadAgency, a.FinancialYear.ToString(), a.DueDate,
                ActionStatusText.Word(a.Status), a.PercentComplete, ActionProgress.IsOverdue(a.DueDate, a.Status, today),
                updatesOfAction.FirstOrDefault(), updatesOfAction);
        }).ToList();
    }

    private static ApiMeasure ToApi(Measure m) => new(m.Code, m.Name, m.Description, m.Unit.ToString(), m.Polarity.ToString(), m.Source.ToString(),
        m.Priority?.Code, m.IsHeadline, m.RateOfMeasure?.Code,
        m.Targets.OrderBy(t => t.FinancialYear).Select(t => new ApiTarget(t.FinancialYear.ToString(), t.Form.ToString(), t.Value, t.AsPrinted,
            ReportText.TargetMeaning(t.Form, t.Value, m.Unit), t.Set)).ToList());

    private Task<Area> HomeAreaAsync(CancellationToken ct) => plan.HomeAreaAsync(ct);

    private static NotFoundInApiException UnknownPriority(string code) => new($"There is no priority with the code '{code}'.");
}
