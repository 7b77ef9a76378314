namespace KcCsp.Domain;

/// <summary>
/// Run lengths for the shift and trend rules (Making Data Count uses 7; some boards use 6), and whether
/// moving ranges far above the rest are screened out before the limits are set (NHSRplotthedots does, by default).
/// </summary>
public sealed record SpcSettings(int ShiftRunLength = 7, int TrendRunLength = 7, bool ScreenOutliers = true);

/// <summary>What the latest point says: normal variation, or a special cause for better or worse.</summary>
public enum SpcVariation
{
    CommonCause,
    SpecialCauseImprovement,
    SpecialCauseConcern,
    NotEnoughData,
}

/// <summary>Whether the process, as it runs now, can be relied on to meet a target.</summary>
public enum SpcAssurance
{
    ConsistentlyMet,
    HitAndMiss,
    ConsistentlyNotMet,
    NoTarget,
}

[Flags]
public enum SpcSignal
{
    None = 0,
    OutsideLimits = 1,
    Shift = 2,
    Trend = 4,
    TwoOfThreeBeyondTwoSigma = 8,
}

/// <param name="Index">Position in the series, from 0.</param>
/// <param name="Signals">Every rule the point is part of.</param>
/// <param name="Side">+1 above the mean, −1 below, 0 on it.</param>
/// <param name="TrendDirection">+1 when the point is part of a rising trend, −1 of a falling one, 0 otherwise.</param>
/// <param name="Improvement">
/// Direction of the point's special cause given the polarity; meaningful only when <see cref="Signals"/> is not None.
/// When rules disagree, the first of: outside the limits, trend, two of three, shift decides (NHSRplotthedots' order).
/// </param>
public sealed record SpcPoint(int Index, decimal Value, SpcSignal Signals, bool Improvement, int Side = 0, int TrendDirection = 0)
{
    /// <summary>The signals in words that say which rule and which side: "above upper limit", "shift below mean", "trend up", ….</summary>
    public IReadOnlyList<string> SignalPhrases()
    {
        var phrases = new List<string>(4);
        var side = Side > 0 ? "above" : "below";
        if (Signals.HasFlag(SpcSignal.OutsideLimits))
            phrases.Add(Side > 0 ? "above upper limit" : "below lower limit");
        if (Signals.HasFlag(SpcSignal.Trend))
            phrases.Add(TrendDirection > 0 ? "trend up" : "trend down");
        if (Signals.HasFlag(SpcSignal.TwoOfThreeBeyondTwoSigma))
            phrases.Add($"two of three {side} two sigma");
        if (Signals.HasFlag(SpcSignal.Shift))
            phrases.Add($"shift {side} mean");
        return phrases;
    }
}

/// <param name="BaselinePoints">How many points, from the first, the mean and limits were computed from.</param>
/// <param name="Sigma">One sigma as the limits imply it: (2.66 / 3) × mean moving range.</param>
public sealed record SpcResult(
    decimal Mean,
    decimal MeanMovingRange,
    decimal UpperProcessLimit,
    decimal LowerProcessLimit,
    decimal Sigma,
    IReadOnlyList<SpcPoint> Points,
    SpcVariation Variation,
    SpcAssurance Assurance,
    int BaselinePoints = 0);

/// <summary>
/// NHS England "Making Data Count" XmR chart of a monthly series: a better question than RAG,
/// because it separates real change from the month-to-month noise every crime count has.
/// The rules follow the NHS-R community's NHSRplotthedots (the reference implementation): limits
/// mean ± 2.66 × mean moving range, moving ranges of 3.267 × the mean or more screened out, "close to
/// the limits" beyond two thirds of the way to them, two of three counted only when all three
/// points are on one side of the mean, and the assurance from the limits against the target.
/// </summary>
public static class SpcAnalysis
{
    // 2.66 = 3 / d2 (d2 = 1.128 for moving ranges of 2); 3.267 = D4, the moving ranges' own upper limit.
    private const decimal LimitFactor = 2.66m;
    private const decimal TwoSigmaFactor = 2m * LimitFactor / 3m;
    private const decimal OutlierRangeFactor = 3.267m;

    /// <param name="baselinePoints">
    /// Compute the mean and limits from the first this-many points only (NHSRplotthedots' fix_after_n_points),
    /// so that later points are judged against the earlier process; null for all of them.
    /// </param>
    public static SpcResult Analyse(IReadOnlyList<decimal> values, Polarity polarity, decimal? target = null, SpcSettings? settings = null, int? baselinePoints = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        settings ??= new SpcSettings();
        if (settings.ShiftRunLength < 2)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ShiftRunLength, "A shift needs a run of at least 2 points.");
        if (settings.TrendRunLength < 2)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TrendRunLength, "A trend needs a run of at least 2 points.");
        if (baselinePoints is < 1)
            throw new ArgumentOutOfRangeException(nameof(baselinePoints), baselinePoints, "A baseline needs at least one point.");

        var n = values.Count;
        var baseline = Math.Min(baselinePoints ?? n, n);
        if (baseline < 2)
        {
            // One point has no moving range: there is no process to describe yet.
            var only = n >= 1 ? values[0] : 0m;
            var points = values.Select((v, i) => new SpcPoint(i, v, SpcSignal.None, false, Math.Sign(v - only))).ToList();
            return new SpcResult(only, 0m, only, only, 0m, points, SpcVariation.NotEnoughData, SpcAssurance.NoTarget, baseline);
        }

        var mean = 0m;
        for (var i = 0; i < baseline; i++)
            mean += values[i];
        mean /= baseline;
        var ranges = new List<decimal>(baseline - 1);
        for (var i = 1; i < baseline; i++)
            ranges.Add(Math.Abs(values[i] - values[i - 1]));
        var meanMovingRange = ranges.Average();
        if (settings.ScreenOutliers)
        {
            var screened = ranges.Where(r => r < OutlierRangeFactor * meanMovingRange).ToList();
            // A flat series has no range below 3.267 × 0; there is nothing to screen then.
            if (screened.Count > 0)
                meanMovingRange = screened.Average();
        }

        var upper = mean + LimitFactor * meanMovingRange;
        var lower = mean - LimitFactor * meanMovingRange;
        var upperTwoSigma = mean + TwoSigmaFactor * meanMovingRange;
        var lowerTwoSigma = mean - TwoSigmaFactor * meanMovingRange;

        var side = values.Select(v => Math.Sign(v - mean)).ToArray();
        var outside = values.Select(v => v > upper || v < lower).ToArray();
        // "Close to the limits": beyond two sigma but not outside the limits.
        var close = values.Select((v, i) => !outside[i] && (v > upperTwoSigma || v < lowerTwoSigma)).ToArray();

        var signals = new SpcSignal[n];
        for (var i = 0; i < n; i++)
        {
            if (outside[i])
                signals[i] |= SpcSignal.OutsideLimits;
        }

        MarkShifts(side, settings.ShiftRunLength, signals);
        var trendDirection = MarkTrends(values, settings.TrendRunLength, signals);
        MarkTwoOfThree(close, side, signals);

        var goodDirection = polarity == Polarity.HigherIsBetter ? 1 : -1;
        var result = new List<SpcPoint>(n);
        for (var i = 0; i < n; i++)
        {
            var s = signals[i];
            var direction =
                s.HasFlag(SpcSignal.OutsideLimits) ? (side[i] > 0 ? 1 : -1)
                : s.HasFlag(SpcSignal.Trend) ? trendDirection[i]
                : s != SpcSignal.None ? (side[i] > 0 ? 1 : -1)
                : 0;
            result.Add(new SpcPoint(i, values[i], s, direction == goodDirection, side[i], s.HasFlag(SpcSignal.Trend) ? trendDirection[i] : 0));
        }

        var latest = result[^1];
        var variation = latest.Signals == SpcSignal.None
            ? SpcVariation.CommonCause
            : latest.Improvement ? SpcVariation.SpecialCauseImprovement : SpcVariation.SpecialCauseConcern;

        return new SpcResult(mean, meanMovingRange, upper, lower, TwoSigmaFactor / 2m * meanMovingRange, result, variation,
            Assure(target, polarity, upper, lower), baseline);
    }

    /// <summary>
    /// A target beyond a limit is always or never met by this process; between them (or on one), the
    /// process will sometimes meet it and sometimes not.
    /// </summary>
    private static SpcAssurance Assure(decimal? target, Polarity polarity, decimal upper, decimal lower)
    {
        if (target is not { } t)
            return SpcAssurance.NoTarget;
        var higherIsBetter = polarity == Polarity.HigherIsBetter;
        if (t > upper)
            return higherIsBetter ? SpcAssurance.ConsistentlyNotMet : SpcAssurance.ConsistentlyMet;
        if (t < lower)
            return higherIsBetter ? SpcAssurance.ConsistentlyMet : SpcAssurance.ConsistentlyNotMet;
        return SpcAssurance.HitAndMiss;
    }

    /// <summary>Runs of points on one side of the mean; a point exactly on the mean ends a run.</summary>
    private static void MarkShifts(int[] side, int runLength, SpcSignal[] signals)
    {
        var runStart = 0;
        for (var i = 1; i <= side.Length; i++)
        {
            if (i < side.Length && side[i] == side[runStart])
                continue;
            if (side[runStart] != 0 && i - runStart >= runLength)
            {
                for (var j = runStart; j < i; j++)
                    signals[j] |= SpcSignal.Shift;
            }

            runStart = i;
        }
    }

    /// <summary>
    /// Runs of points each strictly above (or below) the one before; an equal pair ends a run.
    /// Returns, per point in a trend, its direction: a point shared by two trends (a peak or a
    /// trough) takes the later one's, as NHSRplotthedots does.
    /// </summary>
    private static int[] MarkTrends(IReadOnlyList<decimal> values, int runLength, SpcSignal[] signals)
    {
        var direction = new int[values.Count];
        var runStart = 0;
        var runDirection = 0;
        for (var i = 1; i <= values.Count; i++)
        {
            var step = i < values.Count ? Math.Sign(values[i] - values[i - 1]) : 0;
            if (i < values.Count && step == runDirection && step != 0)
                continue;
            // The run covering points runStart..i-1 has just ended (a run of k points has k − 1 steps).
            if (runDirection != 0 && i - runStart >= runLength)
            {
                for (var j = runStart; j < i; j++)
                {
                    signals[j] |= SpcSignal.Trend;
                    direction[j] = runDirection;
                }
            }

            // A new run starts at the point before this step (it is shared by both runs).
            runStart = i - 1;
            runDirection = step;
        }

        return direction;
    }

    /// <summary>
    /// Two or three of three consecutive points close to the limits, all three on one side of the mean
    /// (NHSRplotthedots' fix: points on opposite sides are not a signal); only the close points are marked.
    /// </summary>
    private static void MarkTwoOfThree(bool[] close, int[] side, SpcSignal[] signals)
    {
        for (var start = 0; start + 2 < close.Length; start++)
        {
            var closeCount = 0;
            var sideSum = 0;
            for (var j = start; j < start + 3; j++)
            {
                closeCount += close[j] ? 1 : 0;
                sideSum += side[j];
            }

            if (closeCount < 2 || Math.Abs(sideSum) != 3)
                continue;
            for (var j = start; j < start + 3; j++)
            {
                if (close[j])
                    signals[j] |= SpcSignal.TwoOfThreeBeyondTwoSigma;
            }
        }
    }
}
