using System.Globalization;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Data.Analysis;

/// <summary>The facts of one draft, numbered in the order the text uses them.</summary>
internal sealed class AnalysisFacts(string area)
{
    private readonly List<AnalysisFact> facts = [];

    public IReadOnlyList<AnalysisFact> All => facts;

    /// <summary>Records the fact and answers how the text writes it.</summary>
    public string Add(string kind, string label, string measure, string? category, Period period, decimal value, string shown, string source)
    {
        facts.Add(new AnalysisFact($"F{facts.Count + 1}", kind, label, measure, category, area, period.From, period.To, value, shown, source));
        return shown;
    }

    public static string SourceOf(FoundValue value) => $"{FigureSources.Word(value.Source)}: {value.Note}";
}

/// <summary>
/// The draft's words: the plan's voice ("accounted for 16.2% of total notifiable offences … 6,864 offences were
/// recorded"), GOV.UK style (thousands separators, percentages to one decimal place, rounded half away from zero).
/// The wording is the feature's content, so it lives with the use case rather than at a host's edge; every number goes
/// through <see cref="AnalysisFacts.Add"/>.
/// </summary>
internal static class AnalysisWriter
{
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    public static string Count(decimal value) => decimal.IsInteger(value) ? value.ToString("#,##0", En) : value.ToString("#,##0.##", En);

    public static string Percent(decimal value) => Change.RoundHalfAwayFromZero(value, 1).ToString("0.0", En) + "%";

    public static decimal Share(decimal part, decimal whole) => whole == 0 ? 0 : Change.RoundHalfAwayFromZero(part * 100m / whole, 1);

    /// <summary>"between April 2008 and January 2010", or "in January 2010" for one month.</summary>
    public static string Between(Period p) => p.From == p.To ? $"in {p.From.Describe()}" : $"between {p.From.Describe()} and {p.To.Describe()}";

    /// <summary>A name inside a sentence: "Theft from motor vehicle" → "theft from motor vehicle" (acronyms such as "ASB" kept).</summary>
    public static string Lower(string name) =>
        name.Length > 1 && char.IsUpper(name[0]) && !char.IsUpper(name[1]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    private static string Value(Measure m, decimal value) => m.Unit switch
    {
        MeasureUnit.Percentage => value.ToString("0.#", En) + "%",
        MeasureUnit.RatePer1000 => value.ToString("0.00", En) + " per 1,000 residents",
        _ => Count(value),
    };

    private static string Listed(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    public static IEnumerable<string> Write(HeadlineFigures f, string area, Period window, LikeForLike periods, AnalysisFacts facts)
    {
        var m = f.Measure;
        var row = f.Row;
        var current = row.Current!;
        var name = Lower(m.Name);
        var source = AnalysisFacts.SourceOf(current);

        // 1. How many, and their share of all offences.
        if (m.Unit == MeasureUnit.Count && f.Total?.Current is { Value: > 0 } total)
        {
            var countId = facts.All.Count + 1;
            var count = facts.Add("count", m.Name, m.Code, null, window, current.Value, Count(current.Value), source);
            var totalShown = facts.Add("count", f.Total.Measure.Name, f.Total.Measure.Code, null, window, total.Value, Count(total.Value), AnalysisFacts.SourceOf(total));
            var share = Share(current.Value, total.Value);
            var shareShown = facts.Add("share", $"{m.Name} as a share of {Lower(f.Total.Measure.Name)}", m.Code, null, window, share, Percent(share),
                $"computed: F{countId} ÷ F{countId + 1}");
            yield return $"{m.Name} accounted for {shareShown} of {Lower(f.Total.Measure.Name)} recorded in {area} {Between(window)} – {count} offences were recorded, of {totalShown} in all.";
        }
        else
        {
            var shown = facts.Add(m.Unit == MeasureUnit.Count ? "count" : "value", m.Name, m.Code, null, window, current.Value, Value(m, current.Value), source);
            // Offences only where the MPS's recorded crime is counted; analysts' counts may be incidents or people.
            yield return m.Unit == MeasureUnit.Count && m.Source == MeasureSource.CrimeExtract
                ? $"There were {shown} {name} offences recorded in {area} {Between(window)}."
                : m.Unit == MeasureUnit.Count
                    ? $"{m.Name} stood at {shown} in {area} {Between(window)}."
                    : $"{m.Name} was {shown} in {area} {Between(window)}.";
        }

        // 2. Its parts, as shares of it.
        var parts = f.Parts.Where(p => p.Current!.Value != 0 || p.Previous is { Value: not 0 }).ToList();
        if (parts.Count >= 2 && current.Value > 0)
        {
            var listed = new List<string>();
            foreach (var p in parts.OrderByDescending(p => p.Current!.Value).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            {
                var valueId = facts.All.Count + 1;
                var value = facts.Add("count", p.Name, p.Measure, p.Category, window, p.Current!.Value, Count(p.Current.Value), AnalysisFacts.SourceOf(p.Current));
                var share = Share(p.Current.Value, current.Value);
                var shareShown = facts.Add("share", $"{p.Name} as a share of {name}", p.Measure, p.Category, window, share, Percent(share),
                    $"computed: F{valueId} ÷ {name} ({Count(current.Value)})");
                listed.Add(listed.Count == 0 ? $"{shareShown} were {Lower(p.Name)} ({value})" : $"{shareShown} {Lower(p.Name)} ({value})");
            }
            yield return $"{(f.PartsAreCategories ? "Of these offences, by the MPS's categories" : "Of these offences")}, {Listed(listed)}.";
        }

        // 3. Against the same months a year earlier.
        var previousWindow = periods.Previous;
        if (row.Previous is { } previous && row.ChangePercent is { } change)
        {
            var before = facts.Add(m.Unit == MeasureUnit.Count ? "count" : "value", m.Name, m.Code, null, previousWindow, previous.Value, Value(m, previous.Value), AnalysisFacts.SourceOf(previous));
            var direction = change > 0 ? "rose" : change < 0 ? "fell" : null;
            var sentence = direction is null
                ? $"Compared with the same months a year earlier ({previousWindow.Describe()}), {name} was unchanged at {before}"
                : $"Compared with the same months a year earlier ({previousWindow.Describe()}), {name} {direction} by " +
                  facts.Add("change", $"{m.Name}: change on the same months a year earlier", m.Code, null, window, change, Percent(Math.Abs(change)),
                      "computed: (this window − the same months a year earlier) ÷ the same months a year earlier") +
                  $", from {before} to {Value(m, current.Value)}";
            yield return sentence + Significance(row.Significance, m, window, facts) + ".";

            // 4. Its largest rises and falls.
            var moved = parts.Where(p => p.Previous is not null && p.ChangePercent is not null && p.Current!.Value != p.Previous.Value).ToList();
            if (moved.Count > 0)
            {
                var rises = moved.Where(p => p.Current!.Value > p.Previous!.Value).OrderByDescending(p => p.Current!.Value - p.Previous!.Value).Take(2).ToList();
                var falls = moved.Where(p => p.Current!.Value < p.Previous!.Value).OrderBy(p => p.Current!.Value - p.Previous!.Value).Take(2).ToList();
                var sentences = new List<string>();
                if (rises.Count > 0) sentences.Add($"The largest {(rises.Count > 1 ? "rises were" : "rise was")} in {Listed(rises.Select(p => Moved(p, "up", window, previousWindow, facts)).ToList())}.");
                else sentences.Add($"None of the parts of {name} rose.");
                if (falls.Count > 0) sentences.Add($"The largest {(falls.Count > 1 ? "falls were" : "fall was")} in {Listed(falls.Select(p => Moved(p, "down", window, previousWindow, facts)).ToList())}.");
                else sentences.Add($"None of the parts of {name} fell.");
                yield return string.Join(" ", sentences);
            }
        }
        else
        {
            yield return $"There are no figures for the same months a year earlier ({previousWindow.Describe()}), so no change can be given.";
        }

        // 5. The year end against the target.
        if (f.FinancialYearToDate)
        {
            var year = window.From.FinancialYear;
            var parts5 = new List<string>();
            if (row.ProjectedYearEnd is { } projected)
                parts5.Add($"On last year's seasonal pattern, {name} is projected to reach {facts.Add("projection", $"{m.Name}: projected to the end of {year}", m.Code, null, Period.FullFinancialYear(year), projected, Count(Math.Round(projected)), "computed: this year to date × (last full year ÷ the same months last year)")} by the end of {year}");
            if (row.Target is { } target)
            {
                var status = row.Evaluation.Status;
                parts5.Add($"{(parts5.Count > 0 ? "against" : "Against")} its target for {year} ({target.AsPrinted}) it is {TargetStatusText.Word(status)}");
            }
            if (row.Target is null && row.Current is { Source: FigureSource.Published, PublishedStatus: { } printed } && printed != TargetStatus.NoTarget)
                parts5.Add($"{(parts5.Count > 0 ? "the" : "The")} plan recorded its target for {year} as {TargetStatusText.Word(printed)}");
            else if (row.Target is null) parts5.Add($"{(parts5.Count > 0 ? "no" : "No")} target is set for {name} in {year}");
            yield return string.Join("; ", parts5) + ".";
        }

        // 6. London and the peer group.
        var ranks = new List<string>();
        if (row.LondonRank is { } rank)
        {
            var shown = facts.Add("london-rank", $"{m.Name}: London rank by rate per 1,000 residents (1 = lowest)", m.Code, null, window, rank.Rank.PositionFromLowest, rank.Rank.Phrase,
                rank.Source == RankSource.Published ? "published: as printed in the plan" : "computed: rate per 1,000 residents of each of the 32 London boroughs (ONS mid-year estimates)");
            ranks.Add($"{area} had the {shown} rate of {name} per 1,000 residents of the {rank.Rank.Count} London boroughs");
        }
        if (row.PeerGroup is { } peer && peer.Members.FirstOrDefault(p => p.Area.Id == row.Area.Id) is { } me)
        {
            var position = facts.Add("peer-rank", $"{m.Name}: position in the peer group {peer.Name} by rate per 1,000 residents (1 = lowest)", m.Code, null, window, peer.Rank.PositionFromLowest, peer.Rank.Phrase,
                $"computed: rate per 1,000 residents of each of the {peer.Size} boroughs of {peer.Name}");
            var rate = facts.Add("rate", $"{m.Name} per 1,000 residents, {area}", m.Code, null, window, me.Rate, me.Rate.ToString("0.00", En), "computed: count ÷ ONS mid-year population × 1,000");
            var average = facts.Add("rate", $"{m.Name} per 1,000 residents, average of {peer.Name}", m.Code, null, window, peer.Average, peer.Average.ToString("0.00", En), $"computed: mean of the {peer.Size} boroughs' rates");
            ranks.Add($"{(ranks.Count > 0 ? "and" : $"{area} had")} the {position} of the {peer.Size} boroughs of its peer group, {peer.Name} ({rate} per 1,000 residents against a group average of {average})");
        }
        if (ranks.Count > 0) yield return string.Join(", ", ranks) + ".";

        // 7. Special causes on the XmR chart.
        if (f.Spc is { CanDraw: true } chart)
        {
            var inWindow = chart.Points.Where(p => window.Contains(p.Month)).ToList();
            var signalled = inWindow.Where(p => p.Point.Signals != SpcSignal.None).ToList();
            var mean = facts.Add("spc", $"{m.Name}: mean of the XmR chart's baseline, a month", m.Code, null, chart.Baseline, chart.Result.Mean, Count(Math.Round(chart.Result.Mean)), "computed: XmR chart of the monthly values");
            var intro = $"On an XmR chart of the monthly figures (limits set on {chart.Baseline.Describe()}, a mean of {mean} a month)";
            if (signalled.Count == 0)
            {
                yield return $"{intro}, every month of the window shows common-cause variation: no special-cause signal.";
            }
            else
            {
                var improvement = signalled.Count(p => p.Point.Improvement);
                var concern = signalled.Count - improvement;
                var months = facts.Add("spc", $"{m.Name}: months of the window with a special-cause signal", m.Code, null, window, signalled.Count, signalled.Count.ToString(En), "computed: XmR chart of the monthly values (Making Data Count rules)");
                var kinds = new List<string>();
                if (improvement > 0) kinds.Add($"{facts.Add("spc", $"{m.Name}: months with a special cause of improvement", m.Code, null, window, improvement, improvement.ToString(En), "computed: XmR chart of the monthly values and the measure's polarity")} of improvement");
                if (concern > 0) kinds.Add($"{facts.Add("spc", $"{m.Name}: months with a special cause of concern", m.Code, null, window, concern, concern.ToString(En), "computed: XmR chart of the monthly values and the measure's polarity")} of concern");
                var latest = signalled[^1];
                yield return $"{intro}, special-cause variation shows in {months} {(signalled.Count == 1 ? "month" : "months")} of the window ({Listed(kinds)}); the latest is {latest.Month.Describe()} ({string.Join(", ", latest.Point.SignalPhrases())}).";
            }
        }
    }

    private static string Moved(AnalysisPart p, string direction, Period window, Period previousWindow, AnalysisFacts facts)
    {
        var before = facts.Add("count", p.Name, p.Measure, p.Category, previousWindow, p.Previous!.Value, Count(p.Previous.Value), AnalysisFacts.SourceOf(p.Previous));
        var change = facts.Add("change", $"{p.Name}: change on the same months a year earlier", p.Measure, p.Category, window, p.ChangePercent!.Value, Percent(Math.Abs(p.ChangePercent.Value)),
            "computed: (this window − the same months a year earlier) ÷ the same months a year earlier");
        var real = p.Significance is { Significant: true } ? "a statistically significant change" : "not a statistically significant change";
        return $"{Lower(p.Name)}, {direction} {change} from {before} to {Count(p.Current!.Value)} ({real})";
    }

    private static string Significance(SignificanceResult? s, Measure m, Period window, AnalysisFacts facts)
    {
        if (s is null) return "";
        var p = facts.Add("significance", $"{m.Name}: p-value of the Poisson means test", m.Code, null, window, (decimal)s.PValue,
            s.PValue < 0.0001 ? "0.0001" : s.PValue.ToString("0.0000", En), "computed: Poisson means test (conditional binomial exact test), two-sided");
        p = (s.PValue < 0.0001 ? "p < " : "p = ") + p;
        return s.Significant
            ? $"; this is a statistically significant change ({p}, Poisson means test at 95%)"
            : $"; this is within what chance alone could give, not a statistically significant change ({p}, Poisson means test at 95%)";
    }
}
