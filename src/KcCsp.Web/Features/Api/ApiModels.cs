using KcCsp.Data.Planning;
using KcCsp.Data.Reporting;

namespace KcCsp.Web.Features.Api;

public sealed record ApiPriority(string Code, string Title, string Aim, int SortOrder, IReadOnlyList<string> Measures, int ActionCount);

/// <summary>A priority with its Section-2-style rows for the reporting period, its targets and its actions.</summary>
public sealed record ApiPriorityDetail(
    string Code, string Title, string Aim, string Introduction, IReadOnlyList<string> Narrative, string FinancialYear, int ToMonth,
    IReadOnlyList<MeasureComparison> Measures, IReadOnlyList<TargetRow> Targets, IReadOnlyList<ApiAction> Actions);

public sealed record ApiMeasure(
    string Code, string Name, string Description, string Unit, string Polarity, string Source, string? Priority, bool IsHeadline,
    string? RateOf, IReadOnlyList<ApiTarget> Targets);

public sealed record ApiTarget(string FinancialYear, string Form, decimal Value, string AsPrinted, string Meaning, string Set);

/// <param name="LatestUpdate">The action's latest progress update, or null when officers have posted none.</param>
/// <param name="Updates">Every progress update, newest first.</param>
public sealed record ApiAction(
    int Id, string Priority, string Theme, string Text, string Detail, string LeadAgency, string FinancialYear, DateOnly? DueDate,
    string Status, int PercentComplete, bool Overdue, UpdateView? LatestUpdate, IReadOnlyList<UpdateView> Updates);

public sealed record ApiSeries(string Measure, string MeasureName, string Unit, string Area, string From, string To, IReadOnlyList<ApiSeriesPoint> Points);

public sealed record ApiSeriesPoint(string Month, decimal Value, string Source, string SourceNote);
