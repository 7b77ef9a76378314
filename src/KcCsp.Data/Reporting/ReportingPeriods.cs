using KcCsp.Data;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

/// <summary>
/// A request's parameter is missing or was not understood: says which parameter and why (an HTTP 400 whose title is
/// <see cref="Title"/>, never a 500). Periods fail with the narrower <see cref="BadPeriodException"/>.
/// </summary>
public class BadParameterException(string parameter, string message, string title) : Exception(message)
{
    public BadParameterException(string parameter, string message) : this(parameter, message, $"The parameter '{parameter}' is not valid.") { }

    public string Parameter { get; } = parameter;

    /// <summary>A short statement of the problem (a ProblemDetails title); the message says what to do.</summary>
    public string Title { get; } = title;

    /// <summary>A required parameter that was not given.</summary>
    public static BadParameterException Missing(string parameter, string message) =>
        new(parameter, message, $"The parameter '{parameter}' is required.");
}

/// <summary>A request's period was not understood: says which parameter and why (an HTTP 400, never a 500).</summary>
public sealed class BadPeriodException(string parameter, string message) : BadParameterException(parameter, message, "The period is not valid.");

/// <summary>
/// A financial year to date: the year and the last calendar month included; and, where a reader chose one, the last
/// month of the baseline the XmR charts' limits come from (by default the months before the period).
/// </summary>
public sealed record ReportingPeriod(FinancialYear Year, int ToMonth, YearMonth? BaselineTo = null)
{
    public LikeForLike Periods => LikeForLike.YearToDate(Year, ToMonth);

    /// <summary>"2009-10-to-2010-01": the year and the last month, safe in a file name.</summary>
    public string FileNamePart => $"{Year.StartYear}-{(Year.StartYear + 1) % 100:D2}-to-{Periods.Current.To}";
}

/// <summary>
/// Which period a download or an API call describes when the request does not say: the latest month with imported
/// data when there is any, otherwise the period the plan's published figures describe (2009/10 to January).
/// </summary>
public sealed class ReportingPeriods(KcCspDbContext db, MonthlySeries monthly, TimeProvider clock)
{
    public async Task<ReportingPeriod> DefaultAsync(CancellationToken ct = default)
    {
        if (await monthly.LatestImportedMonthAsync(ct) is { } latest) return new ReportingPeriod(latest.FinancialYear, latest.Month);
        var plan = await db.ScopedPlan.AsNoTracking().FirstAsync(ct);
        return new ReportingPeriod(plan.ReportingYear, plan.ReportingToMonth);
    }

    /// <summary>
    /// The period a request names. A year without a month means the whole year (to March), unless it is the default
    /// year, which runs to the default month; a month without a year belongs to the default year.
    /// </summary>
    public async Task<ReportingPeriod> ResolveAsync(string? year, int? toMonth, CancellationToken ct = default)
    {
        if (toMonth is { } m) CheckMonth("toMonth", m);
        var fallback = await DefaultAsync(ct);
        if (string.IsNullOrWhiteSpace(year)) return new ReportingPeriod(fallback.Year, toMonth ?? fallback.ToMonth);

        var fy = ParseYear("year", year);
        return new ReportingPeriod(fy, toMonth ?? (fy == fallback.Year ? fallback.ToMonth : FinancialYear.FirstMonth - 1));
    }

    /// <summary>
    /// As <see cref="ResolveAsync(string?, int?, CancellationToken)"/>, with the XmR charts' baseline a reader chose:
    /// <paramref name="baselineTo"/> (YYYY-MM) is the baseline's last month, from the charts' first month — within the
    /// months a chart beside the period can show (the <see cref="SpcCharts.DefaultBaselineMonths"/> before it, and the
    /// period itself).
    /// </summary>
    public async Task<ReportingPeriod> ResolveAsync(string? year, int? toMonth, string? baselineTo, CancellationToken ct = default)
    {
        var period = await ResolveAsync(year, toMonth, ct);
        return string.IsNullOrWhiteSpace(baselineTo) ? period : period with { BaselineTo = CheckBaselineTo("baselineTo", baselineTo, period) };
    }

    /// <summary>The last month of a chosen baseline for the charts beside <paramref name="period"/>, or a <see cref="BadPeriodException"/> naming the parameter.</summary>
    public static YearMonth CheckBaselineTo(string parameter, string value, ReportingPeriod period)
    {
        var month = ReadMonth(parameter, value.Trim());
        var shown = period.Periods.Current;
        var first = shown.From.AddMonths(-SpcCharts.DefaultBaselineMonths);
        // Two months at least: limits come from the moving range between months.
        if (month < first.AddMonths(1) || month > shown.To)
            throw new BadPeriodException(parameter,
                $"{parameter}: {month} is outside the charts of {shown.Describe()}: the baseline's last month is from {first.AddMonths(1)} to {shown.To} (the baseline runs from the chart's first month, {first} at the earliest).");
        return month;
    }

    /// <summary>
    /// The financial years with something to show, newest first: the plan's reporting year, every year that imported
    /// crime extracts cover, and every year of a stored figure.
    /// </summary>
    public async Task<IReadOnlyList<FinancialYear>> YearsAsync(CancellationToken ct = default)
    {
        var plan = await db.ScopedPlan.AsNoTracking().FirstAsync(ct);
        var importedMonths = await monthly.ImportedMonthsAsync(ct);
        var figureMonths = await db.Figures.AsNoTracking().Select(f => f.To).Distinct().ToListAsync(ct);
        return importedMonths.Concat(figureMonths).Select(m => m.FinancialYear).Append(plan.ReportingYear)
            .Distinct().OrderDescending().ToList();
    }

    /// <summary>
    /// A financial year to report on, such as 2009/10, or a <see cref="BadPeriodException"/> naming the parameter: not a
    /// year, or one that starts after today's financial year (nothing can have happened in it yet). Targets may be set
    /// for later years; their year is not a period to report on and is not read here.
    /// </summary>
    public FinancialYear ParseYear(string parameter, string? value) => ParseYear(parameter, value, clock);

    /// <summary>As <see cref="ParseYear(string, string?)"/>, for a caller without a scope (the command line) but with the clock.</summary>
    public static FinancialYear ParseYear(string parameter, string? value, TimeProvider clock)
    {
        var latest = FinancialYear.Of(Today.Of(clock));
        FinancialYear year;
        try
        {
            year = FinancialYear.Parse(value ?? "");
        }
        catch (FormatException e)
        {
            throw new BadPeriodException(parameter, $"{parameter}: {e.Message}");
        }
        if (year > latest)
            throw new BadPeriodException(parameter, $"{parameter}: '{value}' has not started yet: the latest financial year is {latest}.");
        return year;
    }

    /// <summary>A calendar month 1-12, or a <see cref="BadPeriodException"/> naming the parameter.</summary>
    public static int CheckMonth(string parameter, int month) =>
        month is >= 1 and <= 12 ? month : throw new BadPeriodException(parameter, $"{parameter}: {month} is not a calendar month (1-12).");

    /// <summary>
    /// A month such as 2009-04, or a <see cref="BadPeriodException"/> naming the parameter: not a month, or one of a
    /// financial year that starts after today's (as <see cref="ParseYear(string, string?)"/>).
    /// </summary>
    public YearMonth ParseMonth(string parameter, string value) => ParseMonth(parameter, value, clock);

    /// <summary>As <see cref="ParseMonth(string, string)"/>, for a caller without a scope (the command line) but with the clock.</summary>
    public static YearMonth ParseMonth(string parameter, string value, TimeProvider clock)
    {
        var month = ReadMonth(parameter, value);
        var latest = FinancialYear.Of(Today.Of(clock));
        if (month.FinancialYear > latest)
            throw new BadPeriodException(parameter, $"{parameter}: '{value}' has not started yet: the latest financial year is {latest}.");
        return month;
    }

    private static YearMonth ReadMonth(string parameter, string value)
    {
        if (YearMonth.TryParse(value, out var month)) return month;
        throw new BadPeriodException(parameter, $"{parameter}: '{value}' is not a month: expected YYYY-MM (e.g. 2009-04).");
    }
}
