namespace KcCsp.Domain;

/// <summary>Run lengths for the shift and trend rules: Making Data Count uses 7; some boards use 6.</summary>
public sealed record SpcSettings(int ShiftRunLength = 7, int TrendRunLength = 7);

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
/// <param name="Improvement">Direction of the point's signal given the polarity; meaningful only when <see cref="Signals"/> is not None.</param>
public sealed record SpcPoint(int Index, decimal Value, SpcSignal Signals, bool Improvement);

public sealed record SpcResult(
    decimal Mean,
    decimal MeanMovingRange,
    decimal UpperProcessLimit,
    decimal LowerProcessLimit,
    decimal Sigma,
    IReadOnlyList<SpcPoint> Points,
    SpcVariation Variation,
    SpcAssurance Assurance);

/// <summary>
/// NHS England "Making Data Count" XmR chart of a monthly series: a better question than RAG,
/// because it separates real change from the month-to-month noise every crime count has.
/// </summary>
public static class SpcAnalysis
{
    // XmR constants: 3 sigma ≈ 2.66 × mean moving range; sigma = mean moving range / d2 (1.128 for n = 2).
    private const decimal LimitFactor = 2.66m;
    private const decimal D2 = 1.128m;

    public static SpcResult Analyse(IReadOnlyList<decimal> values, Polarity polarity, decimal? target = null, SpcSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        settings ??= new SpcSettings();
        if (settings.ShiftRunLength < 2)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ShiftRunLength, "A shift needs a run of at least 2 points.");
        if (settings.TrendRunLength < 2)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TrendRunLength, "A trend needs a run of at least 2 points.");

        var n = values.Count;
        if (n < 2)
        {
            // One point has no moving range: there is no process to describe yet.
            var only = n == 1 ? values[0] : 0m;
            var points = values.Select((v, i) => new SpcPoint(i, v, SpcSignal.None, false)).ToList();
            return new SpcResult(only, 0m, only, only, 0m, points, SpcVariation.NotEnoughData,
                target is null ? SpcAssurance.NoTarget : SpcAssurance.HitAndMiss);
        }

        var mean = values.Sum() / n;
        var movingRangeSum = 0m;
        for (var i = 1; i < n; i++)
            movingRangeSum += Math.Abs(values[i] - values[i - 1]);
        var meanMovingRange = movingRangeSum / (n - 1);
        var upper = mean + LimitFactor * meanMovingRange;
        var lower = mean - LimitFactor * meanMovingRange;
        var sigma = meanMovingRange / D2;

        var signals = new SpcSignal[n];
        MarkOutsideLimits(values, upper, lower, signals);
        MarkShifts(values, mean, settings.ShiftRunLength, signals);
        var trendRising = MarkTrends(values, settings.TrendRunLength, signals);
        MarkTwoOfThree(values, mean + 2 * sigma, mean - 2 * sigma, signals);

        var higherIsBetter = polarity == Polarity.HigherIsBetter;
        var result = new List<SpcPoint>(n);
        for (var i = 0; i < n; i++)
        {
            bool improvement = false;
            if ((signals[i] & ~SpcSignal.Trend) != SpcSignal.None)
            {
                // Outside limits, shifts and 2-of-3 are about the side of the mean; they outrank
                // a trend's direction when the two disagree.
                improvement = (values[i] > mean) == higherIsBetter;
            }
            else if (signals[i] == SpcSignal.Trend)
            {
                improvement = trendRising[i] == higherIsBetter;
            }

            result.Add(new SpcPoint(i, values[i], signals[i], improvement));
        }

        var latest = result[^1];
        var variation = latest.Signals == SpcSignal.None
            ? SpcVariation.CommonCause
            : latest.Improvement ? SpcVariation.SpecialCauseImprovement : SpcVariation.SpecialCauseConcern;

        return new SpcResult(mean, meanMovingRange, upper, lower, sigma, result, variation,
            Assure(target, polarity, upper, lower));
    }

    /// <summary>
    /// A target outside the limits is either always or never met by this process; inside them,
    /// the process will sometimes meet it and sometimes not.
    /// </summary>
    private static SpcAssurance Assure(decimal? target, Polarity polarity, decimal upper, decimal lower)
    {
        if (target is not { } t)
            return SpcAssurance.NoTarget;
        if (polarity == Polarity.LowerIsBetter)
        {
            if (t >= upper) return SpcAssurance.ConsistentlyMet;
            if (t < lower) return SpcAssurance.ConsistentlyNotMet;
        }
        else
        {
            if (t <= lower) return SpcAssurance.ConsistentlyMet;
            if (t > upper) return SpcAssurance.ConsistentlyNotMet;
        }

        return SpcAssurance.HitAndMiss;
    }

    private static void MarkOutsideLimits(IReadOnlyList<decimal> values, decimal upper, decimal lower, SpcSignal[] signals)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] > upper || values[i] < lower)
                signals[i] |= SpcSignal.OutsideLimits;
        }
    }

    /// <summary>Runs on one side of the mean; a point exactly on the mean ends a run.</summary>
    private static void MarkShifts(IReadOnlyList<decimal> values, decimal mean, int runLength, SpcSignal[] signals)
    {
        var runStart = 0;
        var runSide = 0;
        for (var i = 0; i <= values.Count; i++)
        {
            var side = i < values.Count ? Math.Sign(values[i] - mean) : 0;
            if (i < values.Count && side == runSide && side != 0)
                continue;
            if (runSide != 0 && i - runStart >= runLength)
            {
                for (var j = runStart; j < i; j++)
                    signals[j] |= SpcSignal.Shift;
            }

            runStart = i;
            runSide = side;
        }
    }

    /// <summary>
    /// Runs of points each strictly above (or below) the one before; an equal pair ends a run.
    /// Returns, per point, whether its trend (if any) is rising.
    /// </summary>
    private static bool[] MarkTrends(IReadOnlyList<decimal> values, int runLength, SpcSignal[] signals)
    {
        var rising = new bool[values.Count];
        // A run of k points has k − 1 steps in one direction.
        var runStart = 0;
        var direction = 0;
        for (var i = 1; i <= values.Count; i++)
        {
            var step = i < values.Count ? Math.Sign(values[i] - values[i - 1]) : 0;
            if (i < values.Count && step == direction && step != 0)
                continue;
            // The run covering points runStart..i-1 has just ended.
            if (direction != 0 && i - runStart >= runLength)
            {
                for (var j = runStart; j < i; j++)
                {
                    signals[j] |= SpcSignal.Trend;
                    rising[j] = direction > 0;
                }
            }

            // A new run starts at the point before this step (it is shared by both runs).
            runStart = i - 1;
            direction = step;
        }

        return rising;
    }

    private static void MarkTwoOfThree(IReadOnlyList<decimal> values, decimal upperTwoSigma, decimal lowerTwoSigma, SpcSignal[] signals)
    {
        for (var i = 0; i + 2 < values.Count; i++)
        {
            MarkWindow(i, v => v > upperTwoSigma);
            MarkWindow(i, v => v < lowerTwoSigma);
        }

        void MarkWindow(int start, Func<decimal, bool> beyond)
        {
            var count = 0;
            for (var j = start; j < start + 3; j++)
            {
                if (beyond(values[j]))
                    count++;
            }

            if (count < 2)
                return;
            for (var j = start; j < start + 3; j++)
            {
                if (beyond(values[j]))
                    signals[j] |= SpcSignal.TwoOfThreeBeyondTwoSigma;
            }
        }
    }
}
