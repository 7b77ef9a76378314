using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Reporting;

public sealed class UnknownMeasureException(string code) : Exception($"There is no measure with the code '{code}'.");

public sealed class UnknownAreaException(string name) : Exception($"There is no area called '{name}'.");

/// <summary>Builds a measure's like-for-like comparison: this year to date against the same months a year earlier.</summary>
public sealed class ComparisonService(KcCspDbContext db, MeasureValues values)
{
    public async Task<MeasureComparison> CompareAsync(string measureCode, string areaName, FinancialYear year, int toMonth, CancellationToken ct = default)
    {
        var measure = await db.Measures.AsNoTracking().SingleOrDefaultAsync(m => m.Code == measureCode, ct)
            ?? throw new UnknownMeasureException(measureCode);
        var area = await FindAreaAsync(areaName, ct) ?? throw new UnknownAreaException(areaName);
        return await CompareAsync(measure, area, LikeForLike.YearToDate(year, toMonth), ct);
    }

    /// <summary>
    /// The row a Section 2 table shows for the reporting period; where the measure's figures run to an earlier
    /// month of the same year (the plan's youth crime is April–December), the row uses that period instead.
    /// </summary>
    public async Task<MeasureComparison> CompareForTableAsync(Measure measure, Area area, FinancialYear year, int toMonth, CancellationToken ct = default)
    {
        var wanted = LikeForLike.YearToDate(year, toMonth);
        var row = await CompareAsync(measure, area, wanted, ct);
        if (row.Value is not null) return row;
        var latest = await values.LatestYearToDateEndAsync(measure, area, year, wanted.Current.To, ct);
        return latest is { } end && end != wanted.Current.To
            ? await CompareAsync(measure, area, LikeForLike.YearToDate(year, end.Month), ct)
            : row;
    }

    public async Task<Area?> FindAreaAsync(string name, CancellationToken ct = default)
    {
        var key = AreaNames.Key(name);
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        return areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key || string.Equals(a.Code, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    public async Task<MeasureComparison> CompareAsync(Measure measure, Area area, LikeForLike periods, CancellationToken ct = default)
    {
        var year = periods.Current.From.FinancialYear;
        var current = await values.FindAsync(measure, area, periods.Current, ct);
        var previous = await values.FindAsync(measure, area, periods.Previous, ct);
        var change = current is not null && previous is not null ? Change.Percent(current.Value, previous.Value) : null;

        var target = await db.Targets.AsNoTracking().FirstOrDefaultAsync(t => t.MeasureId == measure.Id && t.FinancialYear == year, ct);
        var complete = periods.Current.IsFullFinancialYear;
        decimal? projected = null;
        if (!complete && current is not null && previous is not null && measure.Unit == MeasureUnit.Count)
        {
            var fullPrevious = await values.FindAsync(measure, area, Period.FullFinancialYear(year.Previous), ct);
            if (fullPrevious is not null) projected = Projection.YearEnd(current.Value, previous.Value, fullPrevious.Value);
        }

        var evaluation = Evaluate(measure, target, current, previous, complete, projected, periods.Current.MonthCount);
        var (rank, rankSource) = await LondonRankAsync(measure, area, periods.Current, current, ct);

        var published = await PublishedAsync(measure, area, periods, current, ct);
        var crossings = TaxonomyChanges.CrossedBy(periods, await CategoryCodesAsync(measure, ct));

        SignificanceView? significance = null;
        if (measure.Unit == MeasureUnit.Count && current is not null && previous is not null
            && decimal.IsInteger(current.Value) && decimal.IsInteger(previous.Value) && current.Value >= 0 && previous.Value >= 0)
        {
            var s = PoissonMeansTest.Test((long)previous.Value, (long)current.Value);
            significance = new SignificanceView(Math.Round(s.PValue, 4), s.Significant, s.Explanation);
        }

        return new MeasureComparison
        {
            Measure = measure.Code,
            MeasureName = measure.Name,
            Unit = measure.Unit.ToString(),
            Polarity = measure.Polarity.ToString(),
            Area = area.Name,
            FinancialYear = year.ToString(),
            Period = View(periods.Current),
            PreviousPeriod = View(periods.Previous),
            Value = Tidy(current?.Value),
            Previous = Tidy(previous?.Value),
            ChangePercent = change,
            ChangeText = current is null || previous is null ? "–" : Change.Format(change),
            LondonRank = rank,
            LondonRankSource = rankSource,
            Status = TargetStatusText.Word(evaluation.Status),
            StatusIcon = TargetStatusText.Icon(evaluation.Status),
            StatusExplanation = evaluation.Explanation,
            Target = target is null ? null : new TargetView(target.Form.ToString(), target.Value, target.AsPrinted, target.Set),
            ProjectedYearEnd = projected,
            Significance = significance,
            Source = current is null ? null : SourceWord(current.Source),
            SourceNote = current?.Note,
            Published = published,
            TaxonomyChanges = crossings.Select(c => new TaxonomyChangeView(c.Change.From.ToString(), c.Change.Title, c.LikeForLike, c.Statement, c.Change.Explanation)).ToList(),
        };
    }

    /// <summary>The canonical categories a crime measure adds up (a rate: those of its count measure).</summary>
    private async Task<IReadOnlyCollection<string>> CategoryCodesAsync(Measure measure, CancellationToken ct)
    {
        var id = measure.RateOfMeasureId ?? measure.Id;
        return await (from mc in db.MeasureCategories join c in db.CrimeCategories on mc.CategoryId equals c.Id where mc.MeasureId == id select c.Code).ToListAsync(ct);
    }

    /// <summary>The plan's own figures for the same periods, when the value shown now comes from somewhere else.</summary>
    private async Task<PublishedView?> PublishedAsync(Measure measure, Area area, LikeForLike periods, FoundValue? current, CancellationToken ct)
    {
        if (current is null || current.Source == FigureSource.Published) return null;
        var figures = await db.Figures.AsNoTracking()
            .Where(f => f.MeasureId == measure.Id && f.AreaId == area.Id && f.Source == FigureSource.Published)
            .ToListAsync(ct);
        var now = figures.FirstOrDefault(f => f.From == periods.Current.From && f.To == periods.Current.To);
        if (now is null) return null;
        var before = figures.FirstOrDefault(f => f.From == periods.Previous.From && f.To == periods.Previous.To);
        return new PublishedView(now.Value, before?.Value, before is null ? null : Change.Percent(now.Value, before.Value),
            now.PublishedLondonRank is { } rank ? new LondonRank(rank, 32).Phrase : null,
            TargetStatusText.Word(now.PublishedStatus ?? TargetStatus.NoTarget));
    }

    private static TargetEvaluation Evaluate(Measure measure, Target? target, FoundValue? current, FoundValue? previous, bool complete, decimal? projected, int months)
    {
        if (target is not null)
        {
            return current is null
                ? new TargetEvaluation(TargetStatus.NoTarget, $"Target {target.AsPrinted} set, but there is no figure for this period yet.")
                : TargetEvaluator.Evaluate(target.Form, target.Value, measure.Polarity, current.Value, previous?.Value, complete, projected, months);
        }
        if (current?.Figure is { Source: FigureSource.Published, PublishedStatus: { } published })
        {
            return new TargetEvaluation(published, $"As published in the plan (\"Meeting target?\": {TargetStatusText.Icon(published)}).");
        }
        return new TargetEvaluation(TargetStatus.NoTarget, "No target is set for this measure and year.");
    }

    private async Task<(string? Rank, string? Source)> LondonRankAsync(Measure measure, Area area, Period period, FoundValue? current, CancellationToken ct)
    {
        if (current?.Figure is { Source: FigureSource.Published, PublishedLondonRank: { } position })
        {
            return (new LondonRank(position, 32).Phrase, "published");
        }
        if (!area.InLondonRanking || current is null) return (null, null);

        // Rank by rate per 1,000 residents among the boroughs in the London ranking, when every one of them has a value.
        var boroughs = await db.Areas.AsNoTracking().Where(a => a.InLondonRanking).ToListAsync(ct);
        var rates = new List<KeyValuePair<string, decimal>>();
        foreach (var borough in boroughs)
        {
            var value = borough.Id == area.Id ? current : await values.FindAsync(measure, borough, period, ct);
            if (value is null) return (null, null);
            decimal rate;
            if (measure.Unit == MeasureUnit.Count)
            {
                var population = await values.PopulationForAsync(borough, period.From.FinancialYear, ct);
                if (population is null) return (null, null);
                rate = Rate.Per1000(value.Value, population.Value);
            }
            else
            {
                rate = value.Value;
            }
            rates.Add(new(borough.Name, rate));
        }
        var rank = LondonRank.Of(rates, area.Name);
        return rank is null ? (null, null) : (rank.Value.Phrase, "computed");
    }

    /// <summary>Drops trailing zeros that storage adds (3374.0000 → 3374), so counts print as whole numbers.</summary>
    public static decimal? Tidy(decimal? value) => value / 1.000000000000000000000000000000000m;

    public static PeriodView View(Period p) => new(p.From.ToString(), p.To.ToString()) { Description = p.Describe() };

    public static string SourceWord(FigureSource source) => source switch
    {
        FigureSource.Published => "published",
        FigureSource.Manual => "manual",
        FigureSource.Imported => "imported",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };
}
