namespace KcCsp.Domain.Tests;

public class SpcAnalysisTests
{
    private static SpcResult Analyse(decimal[] values, Polarity polarity = Polarity.LowerIsBetter, decimal? target = null, SpcSettings? settings = null) =>
        SpcAnalysis.Analyse(values, polarity, target, settings);

    private static decimal[] Repeat(decimal[] pattern, int times, params decimal[] then) =>
        Enumerable.Repeat(pattern, times).SelectMany(p => p).Concat(then).ToArray();

    private static int[] Flagged(SpcResult r, SpcSignal signal) =>
        r.Points.Where(p => p.Signals.HasFlag(signal)).Select(p => p.Index).ToArray();

    [Fact]
    public void Mean_moving_range_limits_and_sigma()
    {
        var r = Analyse(Repeat([10m, 12m], 5));
        r.Mean.Should().Be(11m);
        r.MeanMovingRange.Should().Be(2m);
        r.UpperProcessLimit.Should().Be(16.32m); // 11 + 2.66 × 2
        r.LowerProcessLimit.Should().Be(5.68m);
        r.Sigma.Should().BeApproximately(2.66m / 3m * 2m, 0.0000001m); // NHSRplotthedots' sigma: a third of the way to the limits
        r.Points.Should().HaveCount(10);
        r.Points.Select(p => p.Index).Should().Equal(Enumerable.Range(0, 10));
        r.Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);
        r.Variation.Should().Be(SpcVariation.CommonCause);
        r.Assurance.Should().Be(SpcAssurance.NoTarget);
    }

    [Fact]
    public void Ordinary_noise_is_common_cause()
    {
        var r = Analyse([10, 12, 11, 13, 12, 10, 11, 12]);
        r.Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);
        r.Variation.Should().Be(SpcVariation.CommonCause);
    }

    [Fact]
    public void A_point_outside_the_limits()
    {
        // mean 12.4, MR̄ 28/9, upper limit 20.68: 30 is outside.
        decimal[] values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 30];
        var r = Analyse(values, Polarity.LowerIsBetter);
        Flagged(r, SpcSignal.OutsideLimits).Should().Equal(9);
        r.Points[9].Improvement.Should().BeFalse();
        r.Variation.Should().Be(SpcVariation.SpecialCauseConcern);

        var higher = Analyse(values, Polarity.HigherIsBetter);
        higher.Points[9].Improvement.Should().BeTrue();
        higher.Variation.Should().Be(SpcVariation.SpecialCauseImprovement);
    }

    [Fact]
    public void A_point_below_the_lower_limit()
    {
        decimal[] values = [30, 29, 30, 29, 30, 29, 30, 29, 30, 10];
        var r = Analyse(values, Polarity.LowerIsBetter);
        Flagged(r, SpcSignal.OutsideLimits).Should().Equal(9);
        r.Variation.Should().Be(SpcVariation.SpecialCauseImprovement);
    }

    [Fact]
    public void A_shift_of_seven_on_each_side_marks_every_point_of_the_run()
    {
        // Mean 6: seven points below, then seven above.
        decimal[] values = [4, 5, 4, 5, 4, 5, 4, 8, 7, 8, 7, 8, 7, 8];
        var r = Analyse(values, Polarity.LowerIsBetter);
        r.Mean.Should().Be(6m);
        Flagged(r, SpcSignal.Shift).Should().Equal(Enumerable.Range(0, 14));
        r.Points.Should().OnlyContain(p => p.Signals == SpcSignal.Shift);
        r.Points.Take(7).Should().OnlyContain(p => p.Improvement); // below the mean: fewer crimes
        r.Points.Skip(7).Should().OnlyContain(p => !p.Improvement);
        r.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
    }

    [Fact]
    public void A_shift_needs_the_configured_run_length()
    {
        decimal[] seven = [4, 5, 4, 5, 4, 5, 4, 8, 7, 8, 7, 8, 7, 8];
        Analyse(seven, settings: new SpcSettings(ShiftRunLength: 8)).Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);

        decimal[] six = [4, 5, 4, 5, 4, 5, 8, 7, 8, 7, 8, 7];
        Analyse(six).Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);
        Flagged(Analyse(six, settings: new SpcSettings(ShiftRunLength: 6)), SpcSignal.Shift)
            .Should().Equal(Enumerable.Range(0, 12));
    }

    [Fact]
    public void A_point_exactly_on_the_mean_breaks_a_shift()
    {
        decimal[] unbroken = [4, 5, 4, 5, 4, 5, 4, 5, 8, 7, 8, 7, 8, 7, 8, 7];
        decimal[] broken = [4, 5, 4, 5, 6, 5, 4, 5, 8, 7, 8, 7, 6, 7, 8, 7];
        Flagged(Analyse(unbroken), SpcSignal.Shift).Should().HaveCount(16);
        var r = Analyse(broken);
        r.Mean.Should().Be(6m);
        r.Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);
    }

    [Fact]
    public void A_trend_of_seven_rising_points()
    {
        decimal[] values = [12, 8, 12, 8, 7, 8, 9, 10, 11, 12, 13, 9, 11, 9];
        var r = Analyse(values, Polarity.LowerIsBetter);
        Flagged(r, SpcSignal.Trend).Should().Equal(4, 5, 6, 7, 8, 9, 10);
        r.Points.Should().OnlyContain(p => (p.Signals & ~SpcSignal.Trend) == SpcSignal.None);
        r.Points[4].Improvement.Should().BeFalse(); // rising is bad when lower is better, even below the mean
        Analyse(values, Polarity.HigherIsBetter).Points[10].Improvement.Should().BeTrue();
        r.Variation.Should().Be(SpcVariation.CommonCause); // the latest point is not in the trend
    }

    [Fact]
    public void A_falling_trend_is_improvement_when_lower_is_better()
    {
        decimal[] values = [9, 11, 9, 13, 12, 11, 10, 9, 8, 7, 8, 12, 8, 12];
        var r = Analyse(values, Polarity.LowerIsBetter);
        Flagged(r, SpcSignal.Trend).Should().Equal(3, 4, 5, 6, 7, 8, 9);
        r.Points[3].Improvement.Should().BeTrue();
    }

    [Fact]
    public void A_trend_at_the_latest_point_sets_the_variation()
    {
        decimal[] values = [12, 8, 12, 8, 7, 8, 9, 10, 11, 12, 13];
        Analyse(values, Polarity.HigherIsBetter).Variation.Should().Be(SpcVariation.SpecialCauseImprovement);
        var lower = Analyse(values, Polarity.LowerIsBetter);
        lower.Points[10].Signals.Should().Be(SpcSignal.Trend);
        lower.Variation.Should().Be(SpcVariation.SpecialCauseConcern);
    }

    [Fact]
    public void A_trend_needs_the_configured_run_length()
    {
        // Six rising points: 8 9 10 11 12 13.
        decimal[] values = [12, 8, 12, 8, 9, 10, 11, 12, 13, 9, 11, 9, 12, 8];
        Analyse(values).Points.Should().OnlyContain(p => p.Signals == SpcSignal.None);
        Flagged(Analyse(values, settings: new SpcSettings(TrendRunLength: 6)), SpcSignal.Trend)
            .Should().Equal(3, 4, 5, 6, 7, 8);
    }

    [Fact]
    public void Equal_neighbours_break_a_trend()
    {
        decimal[] values = [5, 6, 7, 8, 8, 9, 10, 11, 12, 6, 7, 6];
        Flagged(Analyse(values), SpcSignal.Trend).Should().BeEmpty();
    }

    [Fact]
    public void Two_of_three_beyond_two_sigma_marks_only_the_points_beyond()
    {
        // mean 10.68, 2σ line 15.61, upper limit 18.07: the two 16s are beyond 2σ, inside the limits.
        var values = Repeat([9m, 11m], 7, 16, 11, 16, 9, 11);
        var r = Analyse(values, Polarity.HigherIsBetter);
        Flagged(r, SpcSignal.TwoOfThreeBeyondTwoSigma).Should().Equal(14, 16);
        Flagged(r, SpcSignal.OutsideLimits).Should().BeEmpty();
        r.Points[14].Improvement.Should().BeTrue();
        r.Points[15].Signals.Should().Be(SpcSignal.None);
    }

    [Fact]
    public void Two_consecutive_points_low_beyond_two_sigma()
    {
        var values = Repeat([11m, 9m], 7, 4, 4, 11);
        var r = Analyse(values, Polarity.LowerIsBetter);
        Flagged(r, SpcSignal.TwoOfThreeBeyondTwoSigma).Should().Equal(14, 15);
        r.Points[15].Improvement.Should().BeTrue();
        r.Variation.Should().Be(SpcVariation.CommonCause);
    }

    [Fact]
    public void One_point_beyond_two_sigma_is_not_a_signal()
    {
        var values = Repeat([9m, 11m], 7, 15, 11, 9, 11);
        Flagged(Analyse(values), SpcSignal.TwoOfThreeBeyondTwoSigma).Should().BeEmpty();
    }

    [Fact]
    public void Two_points_beyond_two_sigma_on_opposite_sides_are_not_a_signal()
    {
        var values = Repeat([9m, 11m], 7, 16, 4, 11, 9);
        Flagged(Analyse(values), SpcSignal.TwoOfThreeBeyondTwoSigma).Should().BeEmpty();
    }

    [Theory]
    [InlineData(Polarity.LowerIsBetter, "17", SpcAssurance.ConsistentlyMet)]
    [InlineData(Polarity.LowerIsBetter, "16.32", SpcAssurance.HitAndMiss)] // on a limit: NHSRplotthedots compares strictly
    [InlineData(Polarity.LowerIsBetter, "11", SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.LowerIsBetter, "5.68", SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.LowerIsBetter, "5", SpcAssurance.ConsistentlyNotMet)]
    [InlineData(Polarity.HigherIsBetter, "5", SpcAssurance.ConsistentlyMet)]
    [InlineData(Polarity.HigherIsBetter, "5.68", SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.HigherIsBetter, "11", SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.HigherIsBetter, "16.32", SpcAssurance.HitAndMiss)]
    [InlineData(Polarity.HigherIsBetter, "17", SpcAssurance.ConsistentlyNotMet)]
    public void Assurance_against_a_target(Polarity polarity, string target, SpcAssurance expected)
    {
        // Limits 5.68 – 16.32.
        var r = Analyse(Repeat([10m, 12m], 5), polarity, decimal.Parse(target, System.Globalization.CultureInfo.InvariantCulture));
        r.Assurance.Should().Be(expected);
    }

    [Fact]
    public void Fewer_than_two_points_is_not_enough_data()
    {
        var none = Analyse([]);
        none.Variation.Should().Be(SpcVariation.NotEnoughData);
        none.Points.Should().BeEmpty();

        var one = Analyse([42]);
        one.Variation.Should().Be(SpcVariation.NotEnoughData);
        one.Mean.Should().Be(42m);
        one.Points.Should().ContainSingle().Which.Signals.Should().Be(SpcSignal.None);
        one.Assurance.Should().Be(SpcAssurance.NoTarget);

        Analyse([10, 12]).Variation.Should().Be(SpcVariation.CommonCause);
    }

    [Fact]
    public void Default_settings_are_seven_and_seven()
    {
        var s = new SpcSettings();
        s.ShiftRunLength.Should().Be(7);
        s.TrendRunLength.Should().Be(7);
    }

    [Fact]
    public void Run_lengths_below_two_are_refused()
    {
        var act = () => Analyse([1, 2, 3], settings: new SpcSettings(ShiftRunLength: 1));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
