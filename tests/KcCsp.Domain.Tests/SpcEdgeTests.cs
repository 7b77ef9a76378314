namespace KcCsp.Domain.Tests;

/// <summary>
/// The edges where an XmR chart's bugs live: a flat series (no moving range at all), a point exactly on a limit, a
/// point shared by two trends, and the baseline. Each test here was written against a mutant that survived the rest.
/// </summary>
public class SpcEdgeTests
{
    private static readonly decimal[] TenTwelve = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12]; // mean 11, MR̄ 2, limits 5.68 – 16.32

    [Theory]
    [InlineData(Polarity.LowerIsBetter)]
    [InlineData(Polarity.HigherIsBetter)]
    public void A_flat_series_does_not_throw_and_is_common_cause_with_limits_on_the_mean(Polarity polarity)
    {
        decimal[] flat = [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
        var r = SpcAnalysis.Analyse(flat, polarity);

        r.Mean.Should().Be(7m);
        r.MeanMovingRange.Should().Be(0m);
        r.UpperProcessLimit.Should().Be(7m);
        r.LowerProcessLimit.Should().Be(7m);
        r.Sigma.Should().Be(0m);
        r.Points.Should().HaveCount(12).And.OnlyContain(p => p.Signals == SpcSignal.None && p.Side == 0 && p.TrendDirection == 0);
        r.Variation.Should().Be(SpcVariation.CommonCause);
        r.BaselinePoints.Should().Be(12);
    }

    [Fact]
    public void A_flat_series_against_a_target_on_it_or_beside_it()
    {
        decimal[] flat = [7, 7, 7, 7, 7, 7, 7, 7];
        SpcAnalysis.Analyse(flat, Polarity.LowerIsBetter, target: 7).Assurance.Should().Be(SpcAssurance.HitAndMiss);
        SpcAnalysis.Analyse(flat, Polarity.LowerIsBetter, target: 8).Assurance.Should().Be(SpcAssurance.ConsistentlyMet);
        SpcAnalysis.Analyse(flat, Polarity.LowerIsBetter, target: 6).Assurance.Should().Be(SpcAssurance.ConsistentlyNotMet);
        SpcAnalysis.Analyse(flat, Polarity.HigherIsBetter, target: 8).Assurance.Should().Be(SpcAssurance.ConsistentlyNotMet);
        SpcAnalysis.Analyse(flat, Polarity.HigherIsBetter, target: 6).Assurance.Should().Be(SpcAssurance.ConsistentlyMet);
    }

    [Fact]
    public void A_flat_baseline_then_a_step_is_outside_the_limits()
    {
        // Limits collapse onto the flat baseline's mean: any later change is a special cause, and the series does not throw.
        decimal[] values = [5, 5, 5, 5, 5, 5, 6];
        var r = SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, baselinePoints: 6);
        r.UpperProcessLimit.Should().Be(5m);
        r.Points[6].Signals.Should().Be(SpcSignal.OutsideLimits);
        r.Points[6].Improvement.Should().BeFalse();
        r.Points[6].SignalPhrases().Should().Equal("above upper limit");
        r.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
        r.Points.Take(6).Should().OnlyContain(p => p.Signals == SpcSignal.None);
    }

    [Fact]
    public void A_point_exactly_on_the_upper_limit_is_inside_it_and_one_beyond_is_outside()
    {
        // NHSRplotthedots compares strictly: on a limit is within the process; it is still "close" (beyond two sigma).
        var on = SpcAnalysis.Analyse([.. TenTwelve, 16.32m], Polarity.LowerIsBetter, baselinePoints: 10);
        on.UpperProcessLimit.Should().Be(16.32m);
        on.Points[10].Signals.HasFlag(SpcSignal.OutsideLimits).Should().BeFalse();
        on.Points[10].Signals.Should().Be(SpcSignal.None); // one close point alone is not two of three
        on.Variation.Should().Be(SpcVariation.CommonCause);

        var beyond = SpcAnalysis.Analyse([.. TenTwelve, 16.33m], Polarity.LowerIsBetter, baselinePoints: 10);
        beyond.Points[10].Signals.Should().Be(SpcSignal.OutsideLimits);
        beyond.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
    }

    [Fact]
    public void A_point_exactly_on_the_lower_limit_is_inside_it_and_one_beyond_is_outside()
    {
        var on = SpcAnalysis.Analyse([.. TenTwelve, 5.68m], Polarity.LowerIsBetter, baselinePoints: 10);
        on.LowerProcessLimit.Should().Be(5.68m);
        on.Points[10].Signals.Should().Be(SpcSignal.None);
        on.Points[10].Side.Should().Be(-1);

        var beyond = SpcAnalysis.Analyse([.. TenTwelve, 5.67m], Polarity.LowerIsBetter, baselinePoints: 10);
        beyond.Points[10].Signals.Should().Be(SpcSignal.OutsideLimits);
        beyond.Points[10].Improvement.Should().BeTrue();
        beyond.Points[10].SignalPhrases().Should().Equal("below lower limit");
        beyond.Variation.Should().Be(SpcVariation.SpecialCauseImprovement);
    }

    [Fact]
    public void Two_points_on_the_limits_are_two_of_three_close_not_outside()
    {
        var r = SpcAnalysis.Analyse([.. TenTwelve, 16.32m, 16.32m], Polarity.HigherIsBetter, baselinePoints: 10);
        r.Points[10].Signals.Should().Be(SpcSignal.TwoOfThreeBeyondTwoSigma);
        r.Points[11].Signals.Should().Be(SpcSignal.TwoOfThreeBeyondTwoSigma);
        r.Points[11].Improvement.Should().BeTrue();
        r.Points[11].SignalPhrases().Should().Equal("two of three above two sigma");
        r.Variation.Should().Be(SpcVariation.SpecialCauseImprovement);

        var low = SpcAnalysis.Analyse([.. TenTwelve, 10m, 5.68m, 5.68m], Polarity.HigherIsBetter, baselinePoints: 10);
        low.Points[12].Signals.Should().Be(SpcSignal.TwoOfThreeBeyondTwoSigma);
        low.Points[12].SignalPhrases().Should().Equal("two of three below two sigma");
        low.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
    }

    [Fact]
    public void Points_just_inside_two_sigma_are_not_close()
    {
        // Two sigma is 11 ± 2 × 2.66 / 3 × 2 = 11 ± 3.5466…: 14.54 and 7.46 are inside it.
        var r = SpcAnalysis.Analyse([.. TenTwelve, 14.54m, 14.54m, 10m, 7.46m, 7.46m], Polarity.HigherIsBetter, baselinePoints: 10);
        r.Points.Skip(10).Should().OnlyContain(p => p.Signals == SpcSignal.None);
        var s = SpcAnalysis.Analyse([.. TenTwelve, 14.55m, 14.55m, 10m, 7.45m, 7.45m], Polarity.HigherIsBetter, baselinePoints: 10);
        s.Points.Skip(10).Select(p => p.Signals == SpcSignal.TwoOfThreeBeyondTwoSigma).Should().Equal(true, true, false, true, true);
    }

    [Fact]
    public void A_peak_shared_by_a_rising_and_a_falling_trend_takes_the_later_trend()
    {
        // 1 … 7 rises for seven points, 7 … 1 falls for seven; the peak (index 6) is in both.
        decimal[] values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1];
        var r = SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, settings: new SpcSettings(ScreenOutliers: false));

        r.Points.Should().OnlyContain(p => p.Signals.HasFlag(SpcSignal.Trend));
        r.Points.Select(p => p.TrendDirection).Should().Equal(1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1);
        r.Points[5].SignalPhrases().Should().Contain("trend up");
        r.Points[6].SignalPhrases().Should().Contain("trend down");
        r.Points[12].Improvement.Should().BeTrue(); // falling, lower is better
        r.Points[3].Improvement.Should().BeFalse();
    }

    [Fact]
    public void A_trough_shared_by_two_trends_and_a_second_run_one_short_of_a_trend()
    {
        // Falls for seven points (a trend), then rises for six (not one): the trough keeps the falling direction.
        decimal[] values = [20, 19, 18, 17, 16, 15, 14, 15, 16, 17, 18, 19];
        var r = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter, settings: new SpcSettings(ScreenOutliers: false));
        r.Points.Select(p => p.Signals.HasFlag(SpcSignal.Trend)).Should()
            .Equal(true, true, true, true, true, true, true, false, false, false, false, false);
        r.Points[6].TrendDirection.Should().Be(-1);
        r.Points[7].TrendDirection.Should().Be(0);
    }

    [Fact]
    public void A_trend_running_to_the_last_point_is_marked_to_the_end()
    {
        decimal[] values = [9, 9, 1, 2, 3, 4, 5, 6, 7];
        var r = SpcAnalysis.Analyse(values, Polarity.HigherIsBetter, settings: new SpcSettings(ScreenOutliers: false));
        r.Points.Select(p => p.TrendDirection).Should().Equal(0, 0, 1, 1, 1, 1, 1, 1, 1);
        r.Points[1].Signals.HasFlag(SpcSignal.Trend).Should().BeFalse();
    }

    [Fact]
    public void A_shift_running_to_the_last_point_and_one_exactly_the_run_length()
    {
        // 3 points above, then 7 below the mean (the last seven): exactly the run length, ending at the last point.
        decimal[] values = [20, 20, 20, 1, 2, 1, 2, 1, 2, 1];
        var r = SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, settings: new SpcSettings(ScreenOutliers: false, TrendRunLength: 99));
        r.Points.Select(p => p.Signals.HasFlag(SpcSignal.Shift)).Should()
            .Equal(false, false, false, true, true, true, true, true, true, true);
        r.Points[9].SignalPhrases().Should().Contain("shift below mean");
        r.Variation.Should().Be(SpcVariation.SpecialCauseImprovement);
    }

    [Fact]
    public void The_baseline_sets_the_mean_and_limits_and_is_reported()
    {
        decimal[] values = [.. TenTwelve, 40, 40];
        var r = SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, baselinePoints: 10);
        r.Mean.Should().Be(11m);
        r.MeanMovingRange.Should().Be(2m);
        r.BaselinePoints.Should().Be(10);
        r.Points.Should().HaveCount(12);
        SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, baselinePoints: 50).BaselinePoints.Should().Be(12);
        SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, baselinePoints: 1).Variation.Should().Be(SpcVariation.NotEnoughData);
        var refuse = () => SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, baselinePoints: 0);
        refuse.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Outlying_moving_ranges_are_screened_only_when_asked()
    {
        // Ranges 1 ×8 and 30: 30 ≥ 3.267 × mean(1…30) = 3.267 × 38/9, so it is screened; MR̄ falls to 1.
        decimal[] values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 40];
        SpcAnalysis.Analyse(values, Polarity.LowerIsBetter).MeanMovingRange.Should().Be(1m);
        SpcAnalysis.Analyse(values, Polarity.LowerIsBetter, settings: new SpcSettings(ScreenOutliers: false))
            .MeanMovingRange.Should().Be(38m / 9m);
    }

    [Fact]
    public void Short_runs_and_null_values_are_refused()
    {
        var trend = () => SpcAnalysis.Analyse([1, 2, 3], Polarity.LowerIsBetter, settings: new SpcSettings(TrendRunLength: 1));
        trend.Should().Throw<ArgumentOutOfRangeException>();
        SpcAnalysis.Analyse([1, 2, 3], Polarity.LowerIsBetter, settings: new SpcSettings(ShiftRunLength: 2, TrendRunLength: 2))
            .Points.Should().OnlyContain(p => p.Signals.HasFlag(SpcSignal.Trend));
        var none = () => SpcAnalysis.Analyse(null!, Polarity.LowerIsBetter);
        none.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void A_single_point_sits_on_its_own_mean()
    {
        var one = SpcAnalysis.Analyse([42], Polarity.LowerIsBetter, target: 40);
        one.UpperProcessLimit.Should().Be(42m);
        one.LowerProcessLimit.Should().Be(42m);
        one.MeanMovingRange.Should().Be(0m);
        one.Points[0].Side.Should().Be(0);
        one.Assurance.Should().Be(SpcAssurance.NoTarget);
        one.BaselinePoints.Should().Be(1);
        SpcAnalysis.Analyse([], Polarity.LowerIsBetter).Mean.Should().Be(0m);
        // A baseline of one point: the later points are placed either side of it.
        var sides = SpcAnalysis.Analyse([5, 9, 1], Polarity.LowerIsBetter, baselinePoints: 1);
        sides.Points.Select(p => p.Side).Should().Equal(0, 1, -1);
    }
}
