namespace KcCsp.Domain.Tests;

public class FinancialYearTests
{
    [Theory]
    [InlineData("2009/10")]
    [InlineData("2009-10")]
    [InlineData("2009/2010")]
    [InlineData("2009-2010")]
    [InlineData(" 2009/10 ")]
    public void Parses_the_ways_people_write_it(string text) =>
        FinancialYear.Parse(text).Should().Be(new FinancialYear(2009));

    [Fact]
    public void Parses_across_a_century() => FinancialYear.Parse("1999/00").StartYear.Should().Be(1999);

    [Fact]
    public void Rejects_a_two_year_span_with_a_clear_message()
    {
        var parse = () => FinancialYear.Parse("2009/11");
        parse.Should().Throw<FormatException>()
            .WithMessage("*'2009/11'*April to March*2009 must be followed by 10*");
        FinancialYear.TryParse("2009/11", out _).Should().BeFalse();
        FinancialYear.TryParse("2009/2011", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("2009")]
    [InlineData("09/10")]
    [InlineData("2009/1")]
    [InlineData("x009/10")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_rejects_other_text(string? text) => FinancialYear.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Runs_april_to_march()
    {
        var fy = new FinancialYear(2009);
        fy.ToString().Should().Be("2009/10");
        fy.Start.Should().Be(new YearMonth(2009, 4));
        fy.End.Should().Be(new YearMonth(2010, 3));
        fy.Months.Should().HaveCount(12).And.StartWith(new YearMonth(2009, 4)).And.EndWith(new YearMonth(2010, 3));
        fy.Months.Should().BeInAscendingOrder();
    }

    [Fact]
    public void Knows_its_neighbours()
    {
        new FinancialYear(2009).Previous.Should().Be(new FinancialYear(2008));
        new FinancialYear(2009).Next.ToString().Should().Be("2010/11");
        new FinancialYear(1999).ToString().Should().Be("1999/00");
        (new FinancialYear(2008) < new FinancialYear(2009)).Should().BeTrue();
        (new FinancialYear(2009) >= new FinancialYear(2009)).Should().BeTrue();
    }

    [Theory]
    [InlineData(2009, 4, true)]
    [InlineData(2010, 3, true)]
    [InlineData(2009, 3, false)]
    [InlineData(2010, 4, false)]
    public void Contains_only_its_own_months(int y, int m, bool expected) =>
        new FinancialYear(2009).Contains(new YearMonth(y, m)).Should().Be(expected);

    [Fact]
    public void Of_a_month()
    {
        FinancialYear.Of(new YearMonth(2010, 1)).Should().Be(new FinancialYear(2009));
        FinancialYear.Of(new YearMonth(2010, 4)).Should().Be(new FinancialYear(2010));
    }

    [Theory]
    [InlineData(1, 2010, 1)]
    [InlineData(3, 2010, 3)]
    [InlineData(4, 2009, 4)]
    [InlineData(12, 2009, 12)]
    public void Numbers_calendar_months_inside_the_year(int calendarMonth, int y, int m) =>
        new FinancialYear(2009).MonthNumbered(calendarMonth).Should().Be(new YearMonth(y, m));

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void MonthNumbered_rejects_non_months(int calendarMonth)
    {
        var act = () => new FinancialYear(2009).MonthNumbered(calendarMonth);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
