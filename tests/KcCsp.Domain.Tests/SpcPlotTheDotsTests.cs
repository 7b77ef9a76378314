namespace KcCsp.Domain.Tests;

/// <summary>
/// The cases of the NHS-R community's NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots, tests/testthat),
/// the reference implementation of "Making Data Count": the same series give the same mean, limits and flagged points.
/// </summary>
public class SpcPlotTheDotsTests
{
    // set.seed(123); rnorm(20) — the series of test-ptd_spc_standard.R, as its snapshot prints it.
    private static readonly decimal[] Rnorm20 =
    [
        -0.56047565m, -0.23017749m, 1.55870831m, 0.07050839m, 0.12928774m, 1.71506499m, 0.46091621m, -1.26506123m,
        -0.68685285m, -0.44566197m, 1.22408180m, 0.35981383m, 0.40077145m, 0.11068272m, -0.55584113m, 1.78691314m,
        0.49785048m, -1.96661716m, 0.70135590m, -0.47279141m,
    ];

    private static int[] Flagged(SpcResult r, SpcSignal signal) =>
        r.Points.Where(p => p.Signals.HasFlag(signal)).Select(p => p.Index).ToArray();

    private static decimal[] Ints(params int[] values) => values.Select(v => (decimal)v).ToArray();

    [Fact]
    public void Snapshot_r1_mean_and_limits_of_rnorm_20()
    {
        var r = SpcAnalysis.Analyse(Rnorm20, Polarity.HigherIsBetter);
        r.Mean.Should().BeApproximately(0.1416238m, 0.0000001m);
        r.LowerProcessLimit.Should().BeApproximately(-3.01138m, 0.000005m);
        r.UpperProcessLimit.Should().BeApproximately(3.294627m, 0.0000005m);
        // summary(): 20 points, all common cause.
        r.Points.Should().HaveCount(20).And.OnlyContain(p => p.Signals == SpcSignal.None);
        r.Variation.Should().Be(SpcVariation.CommonCause);
    }

    [Fact]
    public void Snapshot_r2_and_r3_an_outlier_screened_and_not()
    {
        var values = Rnorm20.ToArray();
        values[14] = 10m; // data$y[15] <- 10
        var screened = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter);
        screened.Mean.Should().BeApproximately(0.6694159m, 0.0000001m);
        screened.LowerProcessLimit.Should().BeApproximately(-2.383666m, 0.0000005m);
        screened.UpperProcessLimit.Should().BeApproximately(3.722497m, 0.0000005m);

        var unscreened = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter, settings: new SpcSettings(ScreenOutliers: false));
        unscreened.Mean.Should().BeApproximately(0.6694159m, 0.0000001m);
        unscreened.LowerProcessLimit.Should().BeApproximately(-4.596625m, 0.0000005m);
        unscreened.UpperProcessLimit.Should().BeApproximately(5.935457m, 0.0000005m);
        (unscreened.UpperProcessLimit - unscreened.LowerProcessLimit).Should().BeGreaterThan(screened.UpperProcessLimit - screened.LowerProcessLimit);

        // The outlier itself is above the screened upper limit.
        Flagged(screened, SpcSignal.OutsideLimits).Should().Equal(14);
        screened.Points[14].SignalPhrases().Should().Equal("above upper limit");
    }

    [Fact]
    public void Summary_per_facet_of_ten_points()
    {
        var first = SpcAnalysis.Analyse(Rnorm20[..10], Polarity.HigherIsBetter);
        first.Mean.Should().BeApproximately(0.0746m, 0.00005m);
        first.LowerProcessLimit.Should().BeApproximately(-2.60m, 0.005m);
        first.UpperProcessLimit.Should().BeApproximately(2.75m, 0.005m);
        var second = SpcAnalysis.Analyse(Rnorm20[10..], Polarity.HigherIsBetter);
        second.Mean.Should().BeApproximately(0.209m, 0.0005m);
        second.LowerProcessLimit.Should().BeApproximately(-3.28m, 0.005m);
        second.UpperProcessLimit.Should().BeApproximately(3.70m, 0.005m);
    }

    [Fact]
    public void Fixing_after_n_points_changes_the_limits_and_judges_later_points_by_them()
    {
        var all = SpcAnalysis.Analyse(Rnorm20, Polarity.HigherIsBetter);
        var fixedTwelve = SpcAnalysis.Analyse(Rnorm20, Polarity.HigherIsBetter, baselinePoints: 12);
        fixedTwelve.BaselinePoints.Should().Be(12);
        fixedTwelve.Mean.Should().Be(Rnorm20[..12].Average());
        fixedTwelve.LowerProcessLimit.Should().NotBe(all.LowerProcessLimit);
        fixedTwelve.UpperProcessLimit.Should().NotBe(all.UpperProcessLimit);
        fixedTwelve.Points.Should().HaveCount(20);
    }

    [Fact]
    public void Two_of_three_close_to_the_limits_on_opposite_sides_of_the_mean_is_common_cause()
    {
        // "it only reports special cause for 2of3 points close to limits when they are on the same side of the mean"
        var data = Enumerable.Repeat(new[] { 1m, -1m }, 8).SelectMany(p => p).ToArray();
        data[14] = 5.5m;
        data[15] = -5.5m;
        var r = SpcAnalysis.Analyse(data, Polarity.HigherIsBetter);
        r.Points[14].Signals.Should().Be(SpcSignal.None);
        r.Points[15].Signals.Should().Be(SpcSignal.None);
        r.Variation.Should().Be(SpcVariation.CommonCause);
    }

    [Fact]
    public void Seven_point_trend_cases()
    {
        // ptd_seven_point_trend(1:6) is all 0; c(1:3, 3:6) is broken by the equal pair.
        Flagged(SpcAnalysis.Analyse(Ints(1, 2, 3, 4, 5, 6), Polarity.HigherIsBetter), SpcSignal.Trend).Should().BeEmpty();
        Flagged(SpcAnalysis.Analyse(Ints(1, 2, 3, 3, 4, 5, 6), Polarity.HigherIsBetter), SpcSignal.Trend).Should().BeEmpty();
        // 1:7 and 7:1: every point is part of the trend, increasing and decreasing.
        var up = SpcAnalysis.Analyse(Ints(1, 2, 3, 4, 5, 6, 7), Polarity.HigherIsBetter);
        Flagged(up, SpcSignal.Trend).Should().Equal(0, 1, 2, 3, 4, 5, 6);
        up.Points.Should().OnlyContain(p => p.TrendDirection == 1);
        up.Points[3].SignalPhrases().Should().Contain("trend up");
        var down = SpcAnalysis.Analyse(Ints(7, 6, 5, 4, 3, 2, 1), Polarity.HigherIsBetter);
        down.Points.Should().OnlyContain(p => p.TrendDirection == -1 && p.Signals.HasFlag(SpcSignal.Trend));
        // c(2, 1:7, 3) and c(2, 7:1, 3): the trend is points 2 to 8, not the first or last.
        Flagged(SpcAnalysis.Analyse(Ints(2, 1, 2, 3, 4, 5, 6, 7, 3), Polarity.HigherIsBetter), SpcSignal.Trend).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        Flagged(SpcAnalysis.Analyse(Ints(2, 7, 6, 5, 4, 3, 2, 1, 3), Polarity.HigherIsBetter), SpcSignal.Trend).Should().Equal(1, 2, 3, 4, 5, 6, 7);
    }

    [Fact]
    public void Seven_points_one_side_of_the_mean_cases()
    {
        // ptd_seven_point_one_side_mean(c(rep(1, 6), -1)) flags nothing; c(rep(1, 8), -1) flags the eight (part of seven).
        // As series: six points just above the mean and one far below; eight above and one far below.
        Flagged(SpcAnalysis.Analyse(Ints(13, 11, 13, 11, 13, 11, 0), Polarity.HigherIsBetter), SpcSignal.Shift).Should().BeEmpty();
        var r = SpcAnalysis.Analyse(Ints(13, 11, 13, 11, 13, 11, 13, 11, 0), Polarity.HigherIsBetter);
        Flagged(r, SpcSignal.Shift).Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        r.Points[0].SignalPhrases().Should().Equal("shift above mean");
        r.Points[0].Improvement.Should().BeTrue();
        var below = SpcAnalysis.Analyse(Ints(-13, -11, -13, -11, -13, -11, -13, -11, 0), Polarity.HigherIsBetter);
        Flagged(below, SpcSignal.Shift).Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        below.Points[0].SignalPhrases().Should().Equal("shift below mean");
        below.Points[0].Improvement.Should().BeFalse();
    }

    [Fact]
    public void Two_in_three_cases_mark_only_the_close_points()
    {
        // ptd_two_in_three(c(0,0,1,0,1,0,0), all above) → c(0,0,1,1,1,0,0), of which the close points (2 and 4) are marked;
        // c(0,0,1,1,0,0,0) → the close points 2 and 3. A noisy base keeps the limits wide and every point above the mean.
        var baseSeries = Ints(10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12);
        var r0 = SpcAnalysis.Analyse(baseSeries, Polarity.HigherIsBetter);
        var close = decimal.Round(r0.Mean + 2.5m * r0.Sigma, 2);
        close.Should().BeLessThan(r0.UpperProcessLimit);

        decimal[] spaced = [.. baseSeries, 12, 12, close, 12, close, 12, 12];
        var a = SpcAnalysis.Analyse(spaced, Polarity.HigherIsBetter, baselinePoints: baseSeries.Length);
        Flagged(a, SpcSignal.TwoOfThreeBeyondTwoSigma).Should().Equal(18, 20);
        a.Points[18].SignalPhrases().Should().Contain("two of three above two sigma");

        decimal[] adjacent = [.. baseSeries, 12, 12, close, close, 12, 12, 12];
        var b = SpcAnalysis.Analyse(adjacent, Polarity.HigherIsBetter, baselinePoints: baseSeries.Length);
        Flagged(b, SpcSignal.TwoOfThreeBeyondTwoSigma).Should().Equal(18, 19);

        // hv = c(1, 0, 0, 1): two close points three apart are no signal.
        decimal[] apart = [.. baseSeries, close, 12, 12, close];
        Flagged(SpcAnalysis.Analyse(apart, Polarity.HigherIsBetter, baselinePoints: baseSeries.Length), SpcSignal.TwoOfThreeBeyondTwoSigma).Should().BeEmpty();

        // Opposite sides: ptd_two_in_three(c(1,0,1), c(1,-1,1)) is all 0 — a point below the mean between two close ones.
        decimal[] opposite = [.. baseSeries, close, 9, close];
        Flagged(SpcAnalysis.Analyse(opposite, Polarity.HigherIsBetter, baselinePoints: baseSeries.Length), SpcSignal.TwoOfThreeBeyondTwoSigma).Should().BeEmpty();
    }

    [Fact]
    public void A_point_outside_the_limits_is_not_close_to_them()
    {
        // close_to_limits excludes points outside the limits: one close point and one outside are not two of three.
        var baseSeries = Ints(10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12);
        var r0 = SpcAnalysis.Analyse(baseSeries, Polarity.HigherIsBetter);
        var close = decimal.Round(r0.Mean + 2.5m * r0.Sigma, 2);
        decimal[] values = [.. baseSeries, close, 40, 12];
        var r = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter, baselinePoints: baseSeries.Length);
        Flagged(r, SpcSignal.TwoOfThreeBeyondTwoSigma).Should().BeEmpty();
        Flagged(r, SpcSignal.OutsideLimits).Should().Equal(17);
    }

    [Fact]
    public void Outside_limits_then_trend_decide_a_points_direction()
    {
        // ptd_special_cause_type's order: outside limits, then trend, then two in three, then shift.
        // A falling trend entirely above the mean: the shift says "above", the trend says "decreasing"; the trend
        // wins, except at its first point, which is above the upper limit: there "outside" decides.
        decimal[] values = [.. Ints(0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4), .. Ints(13, 9, 8, 7, 6, 5, 4, 3)];
        var r = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter, baselinePoints: 14);
        r.Mean.Should().Be(2m);
        r.UpperProcessLimit.Should().Be(12.64m);
        var first = r.Points[14];
        first.Signals.Should().Be(SpcSignal.OutsideLimits | SpcSignal.Trend | SpcSignal.Shift);
        first.Improvement.Should().BeTrue();
        r.Points.Skip(15).Should().OnlyContain(p => p.Signals == (SpcSignal.Trend | SpcSignal.Shift) && !p.Improvement);
        r.Points[^1].SignalPhrases().Should().Equal("trend down", "shift above mean");
        r.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
    }

    [Theory]
    // test-ptd_calculate_assurance_type.R: target 4 against limits (1, 3), (5, 7) and (1, 5).
    [InlineData(Polarity.HigherIsBetter, 1, 3, SpcAssurance.ConsistentlyNotMet)]
    [InlineData(Polarity.HigherIsBetter, 5, 7, SpcAssurance.ConsistentlyMet)]
    [InlineData(Polarity.HigherIsBetter, 1, 5, SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.LowerIsBetter, 1, 3, SpcAssurance.ConsistentlyMet)]
    [InlineData(Polarity.LowerIsBetter, 5, 7, SpcAssurance.ConsistentlyNotMet)]
    [InlineData(Polarity.LowerIsBetter, 1, 5, SpcAssurance.HitAndMiss)]
    public void Assurance_cases(Polarity polarity, int lower, int upper, SpcAssurance expected)
    {
        // A two-point series a, b has mean (a+b)/2 and limits mean ± 2.66 |b − a|: choose a and b to give the limits.
        var mean = (lower + upper) / 2m;
        var halfRange = (upper - lower) / 2m / 2.66m;
        var r = SpcAnalysis.Analyse([mean - halfRange / 2, mean + halfRange / 2], polarity, target: 4m);
        r.LowerProcessLimit.Should().BeApproximately(lower, 0.0000001m);
        r.UpperProcessLimit.Should().BeApproximately(upper, 0.0000001m);
        r.Assurance.Should().Be(expected);
    }
}
