namespace KcCsp.Domain.Tests;

/// <summary>
/// "Exactly on target" for every target form, both polarities and both halves of the year (Met when the period is
/// complete, OnTrack in year), with the figure one step either side: the boundary is where a comparison flipped from
/// ≤ to &lt; goes unnoticed.
/// </summary>
public class TargetBoundaryTests
{
    private const Polarity Lower = Polarity.LowerIsBetter;
    private const Polarity Higher = Polarity.HigherIsBetter;

    private static TargetStatus Good(bool complete) => complete ? TargetStatus.Met : TargetStatus.OnTrack;
    private static TargetStatus Bad(bool complete) => complete ? TargetStatus.NotMet : TargetStatus.OffTrack;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Change_against_the_previous_year_lower_is_better(bool complete)
    {
        // −2%: 98 of 100 is exactly on it; 98.1 (−1.9%) misses; 97.9 (−2.1%) beats it.
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 98, 100, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 98.1m, 100, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 97.9m, 100, complete).Status.Should().Be(Good(complete));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Change_against_the_previous_year_higher_is_better(bool complete)
    {
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 105, 100, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 104.9m, 100, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -3m, Higher, 97, 100, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -3m, Higher, 96.9m, 100, complete).Status.Should().Be(Bad(complete));
    }

    [Theory]
    [InlineData(Lower, true)]
    [InlineData(Lower, false)]
    [InlineData(Higher, true)]
    [InlineData(Higher, false)]
    public void Ceiling_on_growth_exactly_at_the_ceiling_is_good_whatever_the_polarity(Polarity polarity, bool complete)
    {
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, polarity, 101, 100, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, polarity, 101.1m, 100, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 0m, polarity, 100, 100, complete)
            .Should().Be(new TargetEvaluation(Good(complete),
                $"0.0%{(complete ? "" : " so far")} against a target of growth of at most 0%."));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Level_exactly_on_target_both_polarities(bool complete)
    {
        TargetEvaluator.Evaluate(TargetForm.Level, 65m, Higher, 65m, null, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.Level, 65m, Higher, 64.99m, null, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.Level, 20m, Lower, 20m, null, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.Level, 20m, Lower, 20.01m, null, complete).Status.Should().Be(Bad(complete));
    }

    [Fact]
    public void Absolute_year_end_exactly_on_target_both_polarities()
    {
        TargetEvaluator.Evaluate(TargetForm.Absolute, 25.46m, Lower, 25.46m, null, true)
            .Should().Be(new TargetEvaluation(TargetStatus.Met, "25.46 against a target of 25.46 or less."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 25.46m, Lower, 25.47m, null, true).Status.Should().Be(TargetStatus.NotMet);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Higher, 1235m, null, true)
            .Should().Be(new TargetEvaluation(TargetStatus.Met, "1,235 against a target of 1,235 or more."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Higher, 1234m, null, true).Status.Should().Be(TargetStatus.NotMet);
    }

    [Fact]
    public void Absolute_projection_exactly_on_target_both_polarities()
    {
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 600m, null, false, projectedYearEnd: 1235m)
            .Should().Be(new TargetEvaluation(TargetStatus.OnTrack, "Projected year end of 1,235 against a target of 1,235 or less."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 600m, null, false, projectedYearEnd: 1236m).Status.Should().Be(TargetStatus.OffTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Higher, 600m, null, false, projectedYearEnd: 1235m).Status.Should().Be(TargetStatus.OnTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Higher, 600m, null, false, projectedYearEnd: 1234m).Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void Absolute_pro_rata_exactly_on_target_both_polarities()
    {
        // 1200 for the year: 600 after six months is exactly the pro-rata share; 100 after one month likewise.
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Lower, 600m, null, false, monthsElapsed: 6)
            .Should().Be(new TargetEvaluation(TargetStatus.OnTrack, "600 after 6 months against a pro-rata target of 600 or less (1,200 for the year)."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Lower, 601m, null, false, monthsElapsed: 6).Status.Should().Be(TargetStatus.OffTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 100m, null, false, monthsElapsed: 1)
            .Should().Be(new TargetEvaluation(TargetStatus.OnTrack, "100 after 1 month against a pro-rata target of 100 or more (1,200 for the year)."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 99m, null, false, monthsElapsed: 1).Status.Should().Be(TargetStatus.OffTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 1200m, null, false, monthsElapsed: 12).Status.Should().Be(TargetStatus.OnTrack);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void From_zero_the_direction_decides_and_a_zero_target_is_met_by_standing_still(bool complete)
    {
        var soFar = complete ? "" : " so far";
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 0m, Higher, 0, 0, complete)
            .Should().Be(new TargetEvaluation(Good(complete), $"No change from 0{soFar}, against a target of 0% or better."));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 1m, Higher, 0, 0, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 1m, Higher, 3, 0, complete)
            .Should().Be(new TargetEvaluation(Good(complete), $"Up from 0 to 3{soFar}, so no percentage change; the target is +1% or better."));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -1m, Lower, 0, 0, complete).Status.Should().Be(Good(complete));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -1m, Lower, 1, 0, complete).Status.Should().Be(Bad(complete));
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, Higher, 2, 0, complete).Status.Should().Be(Bad(complete));
    }

    [Fact]
    public void An_unknown_form_is_refused()
    {
        var act = () => TargetEvaluator.Evaluate((TargetForm)99, 1m, Lower, 1, 1, true);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
