namespace KcCsp.Domain.Tests;

public class TargetEvaluatorTests
{
    private const Polarity Lower = Polarity.LowerIsBetter;
    private const Polarity Higher = Polarity.HigherIsBetter;

    // --- change against the previous year -------------------------------------------------

    [Fact]
    public void Serious_acquisitive_crime_meets_its_reduction_target()
    {
        // 3582 → 3374 is −5.8%, against "Serious acquisitive crime −1.2%".
        var e = TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -1.2m, Lower, 3374, 3582, periodComplete: true);
        e.Status.Should().Be(TargetStatus.Met);
        e.Explanation.Should().Be("-5.8% against a target of -1.2% or better.");
    }

    [Fact]
    public void A_smaller_reduction_than_the_target_is_not_met()
    {
        // Domestic violence 696 → 652 is −6.3%; a −10% target is not met.
        var e = TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -10m, Lower, 652, 696, true);
        e.Status.Should().Be(TargetStatus.NotMet);
        e.Explanation.Should().Be("-6.3% against a target of -10% or better.");
    }

    [Fact]
    public void In_year_change_is_on_or_off_track()
    {
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 3374, 3582, false)
            .Should().Be(new TargetEvaluation(TargetStatus.OnTrack, "-5.8% so far against a target of -2% or better."));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 405, 354, false)
            .Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void The_rounded_change_the_board_sees_decides()
    {
        // 1000 → 980.5 is −1.95%, printed −2.0%: that meets "−2%" even though the raw figure does not.
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 980.5m, 1000, true)
            .Status.Should().Be(TargetStatus.Met);
        // 1000 → 980.6 is −1.94%, printed −1.9%: not met.
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 980.6m, 1000, true)
            .Status.Should().Be(TargetStatus.NotMet);
    }

    [Fact]
    public void Exactly_on_target_is_met() =>
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 98, 100, true)
            .Status.Should().Be(TargetStatus.Met);

    [Fact]
    public void Higher_is_better_change_needs_at_least_the_target()
    {
        // e.g. detections up 5% or better.
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 106, 100, true)
            .Should().Be(new TargetEvaluation(TargetStatus.Met, "+6.0% against a target of +5% or better."));
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 104, 100, true)
            .Status.Should().Be(TargetStatus.NotMet);
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 106, 100, false)
            .Status.Should().Be(TargetStatus.OnTrack);
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 95, 100, false)
            .Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void No_previous_figure_means_no_target_can_be_judged()
    {
        var e = TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 473, null, true);
        e.Status.Should().Be(TargetStatus.NoTarget);
        e.Explanation.Should().Contain("No previous-year figure").And.Contain("-2% or better");
    }

    [Fact]
    public void Previous_zero_lower_is_better_is_met_only_when_still_zero()
    {
        var stillZero = TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 0, 0, true);
        stillZero.Status.Should().Be(TargetStatus.Met);
        stillZero.Explanation.Should().Contain("No change from 0");

        var rose = TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 3, 0, true);
        rose.Status.Should().Be(TargetStatus.NotMet);
        rose.Explanation.Should().Contain("Up from 0 to 3").And.Contain("no percentage");

        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, -2m, Lower, 3, 0, false)
            .Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void Previous_zero_higher_is_better_is_met_by_any_rise()
    {
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 3, 0, true)
            .Status.Should().Be(TargetStatus.Met);
        TargetEvaluator.Evaluate(TargetForm.ChangeAgainstPreviousYear, 5m, Higher, 0, 0, true)
            .Status.Should().Be(TargetStatus.NotMet);
    }

    // --- ceiling on growth ("Most serious violence 1%") ----------------------------------

    [Fact]
    public void Most_serious_violence_growth_ceiling()
    {
        // 157 → 137 is −12.7%, well within "growth of at most 1%".
        var e = TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, Lower, 137, 157, true);
        e.Status.Should().Be(TargetStatus.Met);
        e.Explanation.Should().Be("-12.7% against a target of growth of at most +1%.");
    }

    [Fact]
    public void Growth_above_the_ceiling_is_not_met()
    {
        // Violence with injury 3%: 100 → 104 is +4.0%.
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 3m, Lower, 104, 100, true)
            .Should().Be(new TargetEvaluation(TargetStatus.NotMet, "+4.0% against a target of growth of at most +3%."));
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 3m, Lower, 103, 100, true)
            .Status.Should().Be(TargetStatus.Met);
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 3m, Lower, 104, 100, false)
            .Status.Should().Be(TargetStatus.OffTrack);
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 3m, Lower, 101, 100, false)
            .Status.Should().Be(TargetStatus.OnTrack);
    }

    [Fact]
    public void A_ceiling_is_a_ceiling_whatever_the_polarity_says() =>
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, Higher, 110, 100, true)
            .Status.Should().Be(TargetStatus.NotMet);

    [Fact]
    public void A_ceiling_with_no_previous_figure_is_no_target() =>
        TargetEvaluator.Evaluate(TargetForm.CeilingOnGrowth, 1m, Lower, 137, null, false)
            .Status.Should().Be(TargetStatus.NoTarget);

    // --- level of a percentage measure ---------------------------------------------------

    [Fact]
    public void Pas_q74_higher_is_better_level()
    {
        var met = TargetEvaluator.Evaluate(TargetForm.Level, 65m, Higher, 67m, null, true);
        met.Status.Should().Be(TargetStatus.Met);
        met.Explanation.Should().Be("67% against a target of 65% or more.");
        TargetEvaluator.Evaluate(TargetForm.Level, 65m, Higher, 64.9m, null, true).Status.Should().Be(TargetStatus.NotMet);
        TargetEvaluator.Evaluate(TargetForm.Level, 65m, Higher, 65m, null, true).Status.Should().Be(TargetStatus.Met);
        TargetEvaluator.Evaluate(TargetForm.Level, 82m, Higher, 83m, null, false).Status.Should().Be(TargetStatus.OnTrack);
        TargetEvaluator.Evaluate(TargetForm.Level, 82m, Higher, 80m, null, false).Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void High_worry_lower_is_better_level()
    {
        var e = TargetEvaluator.Evaluate(TargetForm.Level, 22m, Lower, 24.5m, null, true);
        e.Status.Should().Be(TargetStatus.NotMet);
        e.Explanation.Should().Be("24.5% against a target of 22% or less.");
        TargetEvaluator.Evaluate(TargetForm.Level, 22m, Lower, 21m, null, true).Status.Should().Be(TargetStatus.Met);
        TargetEvaluator.Evaluate(TargetForm.Level, 22m, Lower, 21m, null, false)
            .Should().Be(new TargetEvaluation(TargetStatus.OnTrack, "21% so far against a target of 22% or less."));
        TargetEvaluator.Evaluate(TargetForm.Level, 22m, Lower, 23m, null, false).Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void A_level_in_year_ignores_months_elapsed()
    {
        // A percentage is not cumulative: 30% after 3 months is 30%, not a quarter of anything.
        TargetEvaluator.Evaluate(TargetForm.Level, 22m, Lower, 21m, null, false, monthsElapsed: 3)
            .Status.Should().Be(TargetStatus.OnTrack);
    }

    // --- absolute rate or count ----------------------------------------------------------

    [Fact]
    public void Serious_acquisitive_crime_rate_year_end()
    {
        TargetEvaluator.Evaluate(TargetForm.Absolute, 25.46m, Lower, 24.1m, null, true)
            .Should().Be(new TargetEvaluation(TargetStatus.Met, "24.1 against a target of 25.46 or less."));
        TargetEvaluator.Evaluate(TargetForm.Absolute, 25.46m, Lower, 25.47m, null, true)
            .Status.Should().Be(TargetStatus.NotMet);
    }

    [Fact]
    public void First_time_entrants_in_year_against_the_projection()
    {
        var e = TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 990m, null, false, projectedYearEnd: 1180m, monthsElapsed: 10);
        e.Status.Should().Be(TargetStatus.OnTrack);
        e.Explanation.Should().Be("Projected year end of 1,180 against a target of 1,235 or less.");
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 1100m, null, false, projectedYearEnd: 1300m, monthsElapsed: 10)
            .Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void In_year_count_without_a_projection_uses_the_pro_rata_target()
    {
        // 1235 × 10/12 = 1029.17: 1020 is under it, 1040 is over.
        var on = TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 1020m, null, false, monthsElapsed: 10);
        on.Status.Should().Be(TargetStatus.OnTrack);
        on.Explanation.Should().Be("1,020 after 10 months against a pro-rata target of 1,029.17 or less (1,235 for the year).");
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 1040m, null, false, monthsElapsed: 10)
            .Status.Should().Be(TargetStatus.OffTrack);
    }

    [Fact]
    public void Higher_is_better_absolute()
    {
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 1250m, null, true).Status.Should().Be(TargetStatus.Met);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 1150m, null, true).Status.Should().Be(TargetStatus.NotMet);
        // In year, 6 of 12 months: pro-rata 600.
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 610m, null, false, monthsElapsed: 6)
            .Status.Should().Be(TargetStatus.OnTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 590m, null, false, monthsElapsed: 6)
            .Status.Should().Be(TargetStatus.OffTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 590m, null, false, projectedYearEnd: 1210m, monthsElapsed: 6)
            .Status.Should().Be(TargetStatus.OnTrack);
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1200m, Higher, 10m, null, false, monthsElapsed: 1)
            .Explanation.Should().Contain("after 1 month ");
    }

    [Fact]
    public void A_complete_period_ignores_the_projection() =>
        TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 1300m, null, true, projectedYearEnd: 1100m)
            .Status.Should().Be(TargetStatus.NotMet);

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void Months_elapsed_must_be_a_month_count(int months)
    {
        var act = () => TargetEvaluator.Evaluate(TargetForm.Absolute, 1235m, Lower, 1000m, null, false, monthsElapsed: months);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Evaluation_offers_word_and_icon()
    {
        var e = TargetEvaluator.Evaluate(TargetForm.Absolute, 25.46m, Lower, 24.1m, null, true);
        e.Word.Should().Be("met");
        e.Icon.Should().Be("✓");
    }
}
