namespace KcCsp.Domain.Tests;

public class TaxonomyChangeTests
{
    private static YearMonth M(int y, int m) => new(y, m);

    private static readonly string[] Residential = ["residential-burglary", "residential-burglary-of-a-home", "residential-burglary-of-an-unconnected-building"];

    private static readonly TaxonomyChange Split2023 = new(M(2023, 4), "Residential burglary split", "…", new HashSet<string>(Residential));

    [Fact]
    public void A_year_to_date_comparison_from_april_2023_crosses_the_split()
    {
        var periods = LikeForLike.YearToDate(new FinancialYear(2023), 11);
        Split2023.IsCrossedBy(periods).Should().BeTrue("April–November 2023 is compared with April–November 2022");
    }

    [Theory]
    [InlineData(2022, 11, false)] // 2022/23 against 2021/22: all before
    [InlineData(2024, 11, false)] // 2024/25 against 2023/24: all after
    [InlineData(2023, 3, true)]   // the full 2023/24 against the full 2022/23
    [InlineData(2023, 4, true)]   // April 2023 alone against April 2022
    public void Only_comparisons_with_months_on_both_sides_cross_it(int fyStart, int toMonth, bool crosses) =>
        Split2023.IsCrossedBy(LikeForLike.YearToDate(new FinancialYear(fyStart), toMonth)).Should().Be(crosses);

    [Fact]
    public void A_rolling_year_that_straddles_the_month_crosses_it() =>
        Split2023.IsCrossedBy(LikeForLike.Of(Period.RollingTwelveMonths(M(2024, 9)))).Should().BeTrue();

    [Fact]
    public void A_measure_counting_every_part_stays_like_for_like()
    {
        var periods = LikeForLike.YearToDate(new FinancialYear(2023), 11);
        string[] sac = [.. Residential, "theft-from-motor-vehicle", "personal-robbery"];
        var crossing = Split2023.Assess(periods, sac);
        crossing.Should().NotBeNull();
        crossing!.LikeForLike.Should().BeTrue();
        crossing.Statement.Should().Contain("April 2023").And.Contain("still compares like with like");
    }

    [Fact]
    public void A_measure_counting_one_part_only_is_not_like_for_like()
    {
        var crossing = Split2023.Assess(LikeForLike.YearToDate(new FinancialYear(2023), 11), ["residential-burglary-of-a-home"]);
        crossing!.LikeForLike.Should().BeFalse();
        crossing.Statement.Should().Contain("not like for like");
    }

    [Fact]
    public void A_measure_counting_none_of_them_is_not_concerned() =>
        Split2023.Assess(LikeForLike.YearToDate(new FinancialYear(2023), 11), ["theft-from-motor-vehicle"]).Should().BeNull();
}
