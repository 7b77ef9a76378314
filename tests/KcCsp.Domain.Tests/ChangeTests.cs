namespace KcCsp.Domain.Tests;

public class ChangeTests
{
    // The plan's Section 2 table, April–January 2008/09 against 2009/10.
    [Theory]
    [InlineData(3582, 3374, "-5.8", "-5.8%")] // serious acquisitive crime
    [InlineData(5298, 4779, "-9.8", "-9.8%")] // drugs offences
    [InlineData(696, 652, "-6.3", "-6.3%")] // domestic violence
    [InlineData(484, 473, "-2.3", "-2.3%")] // youth crime (April–December)
    [InlineData(157, 137, "-12.7", "-12.7%")] // most serious violence
    [InlineData(443, 395, "-10.8", "-10.8%")] // street drinking
    [InlineData(354, 405, "14.4", "+14.4%")] // begging/vagrancy
    public void Matches_the_plans_figures(int previous, int current, string expected, string printed)
    {
        var change = Change.Percent(current, previous);
        change.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        Change.Format(change).Should().Be(printed);
    }

    [Fact]
    public void Nothing_before_gives_no_percentage_not_an_error()
    {
        Change.Percent(0, 0).Should().BeNull(); // terrorist incidents 0 → 0
        Change.Percent(5, 0).Should().BeNull();
        Change.Format(Change.Percent(0, 0)).Should().Be("n/a");
    }

    [Fact]
    public void No_change_is_zero() => Change.Format(Change.Percent(100, 100)).Should().Be("0.0%");

    [Fact]
    public void Halves_round_away_from_zero()
    {
        Change.Percent(1999, 2000).Should().Be(-0.1m); // exactly −0.05%
        Change.Percent(2001, 2000).Should().Be(0.1m); // exactly +0.05%
        Change.Percent(4001, 4000).Should().Be(0.0m); // +0.025%
        Change.Percent(8002, 8000).Should().Be(0.0m); // +0.025% → 0.0, not banker's anything
        Change.Percent(2005, 2000).Should().Be(0.3m); // exactly +0.25%
        Change.Percent(1995, 2000).Should().Be(-0.3m); // exactly −0.25%
    }

    [Theory]
    [InlineData("0.25", 1, "0.3")]
    [InlineData("-0.25", 1, "-0.3")]
    [InlineData("-0.05", 1, "-0.1")]
    [InlineData("0.35", 1, "0.4")]
    [InlineData("2.5", 0, "3")]
    [InlineData("-2.5", 0, "-3")]
    [InlineData("1.005", 2, "1.01")]
    [InlineData("0.24", 1, "0.2")]
    public void RoundHalfAwayFromZero_is_not_bankers_rounding(string value, int decimals, string expected) =>
        Change.RoundHalfAwayFromZero(Dec(value), decimals).Should().Be(Dec(expected));

    [Fact]
    public void Tiny_negative_change_formats_as_zero_without_a_sign()
    {
        Change.Format(-0.04m).Should().Be("0.0%");
        Change.Format(0.04m).Should().Be("0.0%");
        Change.Format(Change.Percent(9999, 10000)).Should().Be("0.0%");
    }

    [Fact]
    public void Format_rounds_to_one_decimal()
    {
        Change.Format(-14.94m).Should().Be("-14.9%");
        Change.Format(11.65m).Should().Be("+11.7%");
        Change.Format(100m).Should().Be("+100.0%");
        Change.Format(-100m).Should().Be("-100.0%");
    }

    [Fact]
    public void Fall_to_zero_is_minus_one_hundred() => Change.Percent(0, 25).Should().Be(-100m);

    [Fact]
    public void Rates_are_per_thousand_to_two_decimals()
    {
        Rate.Per1000(4400, 172812).Should().Be(25.46m); // 25.4612… → 25.46
        Rate.Per1000(1, 2000).Should().Be(0.5m);
        Rate.Per1000(1, 200000).Should().Be(0.01m); // exactly 0.005 → 0.01
        Rate.Per1000(0, 1000).Should().Be(0m);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_rate_needs_a_population(int population)
    {
        var act = () => Rate.Per1000(10, population);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
