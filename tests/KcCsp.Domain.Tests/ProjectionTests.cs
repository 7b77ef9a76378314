namespace KcCsp.Domain.Tests;

public class ProjectionTests
{
    [Fact]
    public void Projects_with_last_years_seasonal_profile()
    {
        // Last year: 3582 in April–January, 4300 for the whole year; this year 3374 so far.
        // 3374 × 4300 / 3582 = 4050.36… → 4050
        Projection.YearEnd(3374, 3582, 4300).Should().Be(4050m);
    }

    [Fact]
    public void Rounds_half_away_from_zero()
    {
        Projection.YearEnd(5, 2, 3).Should().Be(8m); // 7.5 → 8
        Projection.YearEnd(3, 2, 3).Should().Be(5m); // 4.5 → 5
    }

    [Fact]
    public void Equal_years_project_to_last_years_total() => Projection.YearEnd(100, 100, 120).Should().Be(120m);

    [Fact]
    public void No_profile_when_last_year_had_nothing_so_far() => Projection.YearEnd(10, 0, 50).Should().BeNull();

    [Fact]
    public void Reduction_by_year_end_reads_off_the_projection()
    {
        // "On trajectory for 5.3% reduction by year end": the projection against last year's total.
        var projected = Projection.YearEnd(947, 1000, 1200)!.Value; // 1136.4 → 1136
        projected.Should().Be(1136m);
        Change.Format(Change.Percent(projected, 1200)).Should().Be("-5.3%");
    }
}
