using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Data.Analysis;

/// <summary>
/// A drafted "what our data tells us" for one priority, area and window: plain-English paragraphs written from the
/// figures the portal computes, and every number in them with the <see cref="AnalysisFact"/> it came from. Built by
/// <see cref="AnalysisService"/> only; deterministic (the same figures always give the same words).
/// </summary>
public sealed record DraftAnalysis
{
    public required string Priority { get; init; }
    public required string PriorityTitle { get; init; }
    public required string Area { get; init; }
    public required Period Window { get; init; }
    public required IReadOnlyList<string> Paragraphs { get; init; }
    public required IReadOnlyList<AnalysisFact> Facts { get; init; }
    /// <summary>The plan's own printed "what our data tells us", to read beside the draft (it may disagree with the data).</summary>
    public required string PlanText { get; init; }

    /// <summary>The paragraphs, separated by blank lines: what is published, compared and printed.</summary>
    public string Text => string.Join("\n\n", Paragraphs);
}

/// <summary>
/// A number in a draft and where it came from: which measure (or MPS category of it), area and months, its value, how
/// the draft writes it (<see cref="Shown"/>, exactly as in the text) and its source ("imported: MPS crime extract,
/// import #1 …", "published: Plan 2010-2013 …", "manual: …", or "computed from F1 and F2" for shares and changes).
/// </summary>
/// <param name="Id">"F1", "F2", … in the order the draft uses them.</param>
/// <param name="Kind">count, share, change, significance, projection, target, london-rank, peer-rank, rate, spc.</param>
public sealed record AnalysisFact(
    string Id, string Kind, string Label, string Measure, string? Category, string Area, YearMonth From, YearMonth To,
    decimal Value, string Shown, string Source);

/// <summary>
/// A draft cannot be written: an unknown priority or area, a window that has not started, no figures for the window.
/// A bad parameter (HTTP 400, CLI exit 2) whose message says what to do.
/// </summary>
public sealed class AnalysisRefusedException(string parameter, string message, string title) : BadParameterException(parameter, message, title)
{
    public static AnalysisRefusedException UnknownPriority(string code, IEnumerable<string> codes) =>
        new("priority", $"There is no priority with the code '{code}'. The priorities are: {string.Join(", ", codes)}.", "Unknown priority.");

    public static AnalysisRefusedException UnknownArea(string name) =>
        new("area", $"There is no area called '{name}'. Give a London borough's name or ONS code, e.g. Kensington and Chelsea.", "Unknown area.");

    public static AnalysisRefusedException NoData(string message) => new("window", message, "There are no figures for this window.");
}

/// <summary>
/// The window a draft covers: a financial year to a month (year and toMonth, as every report), or any months from one to
/// another (from and to, YYYY-MM, such as the plan's April 2008 – January 2010). The one reading for the CLI, API and pages.
/// </summary>
public static class AnalysisWindows
{
    /// <param name="names">How the caller names the four parameters (the CLI's --year, --to-month, --from, --to; the API's year, toMonth, from, to).</param>
    public static Period Parse(string? year, int? toMonth, string? from, string? to, TimeProvider clock, (string Year, string ToMonth, string From, string To) names)
    {
        var byYear = !string.IsNullOrWhiteSpace(year) || toMonth is not null;
        var byMonths = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        if (byYear && byMonths)
            throw new BadPeriodException(names.Year, $"Give either {names.Year} and {names.ToMonth} (a financial year to a month) or {names.From} and {names.To} (any months), not both.");
        Period window;
        if (byMonths)
        {
            if (string.IsNullOrWhiteSpace(from)) throw new BadPeriodException(names.From, $"{names.From} is required with {names.To}: the window's first month, YYYY-MM.");
            if (string.IsNullOrWhiteSpace(to)) throw new BadPeriodException(names.To, $"{names.To} is required with {names.From}: the window's last month, YYYY-MM.");
            var first = ReportingPeriods.ParseMonth(names.From, from.Trim(), clock);
            var last = ReportingPeriods.ParseMonth(names.To, to.Trim(), clock);
            if (first > last) throw new BadPeriodException(names.From, $"{names.From}: the window's first month, {first}, is after its last, {last}.");
            window = new Period(first, last);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(year))
                throw new BadPeriodException(names.Year, $"Give {names.Year} and {names.ToMonth} (e.g. 2009/10 and 1) or {names.From} and {names.To} (e.g. 2008-04 and 2010-01).");
            var fy = ReportingPeriods.ParseYear(names.Year, year, clock);
            if (toMonth is not { } m) throw new BadPeriodException(names.ToMonth, $"{names.ToMonth} is required with {names.Year}: the last calendar month included (1-12).");
            window = Period.FinancialYearToDate(fy, ReportingPeriods.CheckMonth(names.ToMonth, m));
        }
        var thisMonth = YearMonth.FromDate(Today.Of(clock));
        if (window.From > thisMonth)
            throw new BadPeriodException(byMonths ? names.From : names.Year, $"The window {window.Describe()} has not started yet: this month is {thisMonth.Describe()}.");
        return window;
    }
}
