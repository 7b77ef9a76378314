using System.Globalization;

namespace KcCsp.Domain;

/// <summary>A status with the one plain sentence that justifies it to the board.</summary>
public sealed record TargetEvaluation(TargetStatus Status, string Explanation)
{
    public string Word => TargetStatusText.Word(Status);

    public string Icon => TargetStatusText.Icon(Status);
}

/// <summary>Judges a measure against its target, one rule per target form.</summary>
public static class TargetEvaluator
{
    /// <param name="form">How the target is expressed.</param>
    /// <param name="targetValue">As printed: −1.2 (a % change), 1 (a growth ceiling), 65 (a %), 25.46 (a rate).</param>
    /// <param name="polarity">Which way is good for the measure.</param>
    /// <param name="current">This period's value (year to date when in year).</param>
    /// <param name="previous">The like-for-like previous value; needed for the change forms only.</param>
    /// <param name="periodComplete">True once the target's period has ended: Met/NotMet; otherwise OnTrack/OffTrack.</param>
    /// <param name="projectedYearEnd">For an in-year Absolute target: the projected year-end value, if known.</param>
    /// <param name="monthsElapsed">For an in-year Absolute target with no projection: months of the year so far (1–12).</param>
    public static TargetEvaluation Evaluate(
        TargetForm form,
        decimal targetValue,
        Polarity polarity,
        decimal current,
        decimal? previous,
        bool periodComplete,
        decimal? projectedYearEnd = null,
        int monthsElapsed = 12)
    {
        if (monthsElapsed is < 1 or > 12)
            throw new ArgumentOutOfRangeException(nameof(monthsElapsed), monthsElapsed, "Months elapsed must be between 1 and 12.");

        return form switch
        {
            TargetForm.ChangeAgainstPreviousYear or TargetForm.CeilingOnGrowth =>
                EvaluateChange(form, targetValue, polarity, current, previous, periodComplete),
            TargetForm.Level => EvaluateLevel(targetValue, polarity, current, periodComplete),
            TargetForm.Absolute =>
                EvaluateAbsolute(targetValue, polarity, current, periodComplete, projectedYearEnd, monthsElapsed),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown target form."),
        };
    }

    private static TargetEvaluation EvaluateChange(
        TargetForm form, decimal targetValue, Polarity polarity, decimal current, decimal? previous, bool periodComplete)
    {
        // A growth ceiling is always "at most": more crime is worse whatever the printed sign.
        var lowerIsGood = form == TargetForm.CeilingOnGrowth || polarity == Polarity.LowerIsBetter;
        var targetText = form == TargetForm.CeilingOnGrowth
            ? $"growth of at most {SignedPercent(targetValue)}"
            : $"{SignedPercent(targetValue)} or better";
        var soFar = periodComplete ? "" : " so far";

        if (previous is not { } before)
        {
            return new TargetEvaluation(TargetStatus.NoTarget,
                $"No previous-year figure to measure a change against a target of {targetText}.");
        }

        if (before == 0)
        {
            // No percentage exists; judge the direction of travel instead of dividing by zero.
            var good = lowerIsGood ? current == 0 : current > 0 || targetValue <= 0;
            var sentence = current == 0
                ? $"No change from 0{soFar}, against a target of {targetText}."
                : $"Up from 0 to {Number(current)}{soFar}, so no percentage change; the target is {targetText}.";
            return new TargetEvaluation(Status(good, periodComplete), sentence);
        }

        // Judge the rounded figure the board sees, so the tick always agrees with the printed %.
        var change = Change.Percent(current, before)!.Value;
        var met = lowerIsGood ? change <= targetValue : change >= targetValue;
        return new TargetEvaluation(Status(met, periodComplete),
            $"{Change.Format(change)}{soFar} against a target of {targetText}.");
    }

    private static TargetEvaluation EvaluateLevel(decimal targetValue, Polarity polarity, decimal current, bool periodComplete)
    {
        // A percentage is not cumulative: this year's level so far is compared with the target as it is.
        var met = Meets(current, targetValue, polarity);
        var soFar = periodComplete ? "" : " so far";
        return new TargetEvaluation(Status(met, periodComplete),
            $"{Number(current)}%{soFar} against a target of {Number(targetValue)}% {OrWhat(polarity)}.");
    }

    private static TargetEvaluation EvaluateAbsolute(
        decimal targetValue, Polarity polarity, decimal current, bool periodComplete, decimal? projectedYearEnd, int monthsElapsed)
    {
        if (periodComplete)
        {
            return new TargetEvaluation(Status(Meets(current, targetValue, polarity), true),
                $"{Number(current)} against a target of {Number(targetValue)} {OrWhat(polarity)}.");
        }

        if (projectedYearEnd is { } projected)
        {
            return new TargetEvaluation(Status(Meets(projected, targetValue, polarity), false),
                $"Projected year end of {Number(projected)} against a target of {Number(targetValue)} {OrWhat(polarity)}.");
        }

        // Without a projection, compare the year so far with the target's share for the months elapsed.
        var proRata = targetValue * monthsElapsed / 12m;
        return new TargetEvaluation(Status(Meets(current, proRata, polarity), false),
            $"{Number(current)} after {monthsElapsed} {(monthsElapsed == 1 ? "month" : "months")} against a pro-rata target of {Number(Change.RoundHalfAwayFromZero(proRata, 2))} {OrWhat(polarity)} ({Number(targetValue)} for the year).");
    }

    private static bool Meets(decimal value, decimal target, Polarity polarity) =>
        polarity == Polarity.LowerIsBetter ? value <= target : value >= target;

    private static TargetStatus Status(bool good, bool periodComplete) => periodComplete
        ? (good ? TargetStatus.Met : TargetStatus.NotMet)
        : (good ? TargetStatus.OnTrack : TargetStatus.OffTrack);

    private static string OrWhat(Polarity polarity) => polarity == Polarity.LowerIsBetter ? "or less" : "or more";

    /// <summary>Targets as printed: "-1.2%", "-2%", "+3%".</summary>
    private static string SignedPercent(decimal value)
    {
        var text = Number(Math.Abs(value)) + "%";
        return value > 0 ? "+" + text : value < 0 ? "-" + text : text;
    }

    private static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
