namespace KcCsp.Domain.Tests;

public class YearMonthTests
{
    [Theory]
    [InlineData("2009-04", 2009, 4)]
    [InlineData("200904", 2009, 4)]
    [InlineData("2010-01", 2010, 1)]
    [InlineData("201012", 2010, 12)]
    [InlineData(" 2009-04 ", 2009, 4)]
    public void Parses_iso_and_mps_column_forms(string text, int year, int month) =>
        YearMonth.Parse(text).Should().Be(new YearMonth(year, month));

    [Theory]
    [InlineData("2009-13")]
    [InlineData("200900")]
    [InlineData("2009-4")]
    [InlineData("09-04")]
    [InlineData("2009/04")]
    [InlineData("abcdef")]
    [InlineData("")]
    public void Rejects_what_is_not_a_month(string text)
    {
        YearMonth.TryParse(text, out _).Should().BeFalse();
        var parse = () => YearMonth.Parse(text);
        parse.Should().Throw<FormatException>().WithMessage($"*'{text}'*");
    }

    [Fact]
    public void TryParse_of_null_is_false() => YearMonth.TryParse(null, out _).Should().BeFalse();

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(-1)]
    public void Month_must_be_1_to_12(int month)
    {
        var make = () => new YearMonth(2009, month);
        make.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void With_cannot_make_an_invalid_month()
    {
        var ym = new YearMonth(2009, 4);
        var bad = () => ym with { Month = 13 };
        bad.Should().Throw<ArgumentOutOfRangeException>();
        (ym with { Month = 5 }).Should().Be(new YearMonth(2009, 5));
    }

    [Fact]
    public void Formats_as_iso_and_as_yyyymm()
    {
        new YearMonth(2009, 4).ToString().Should().Be("2009-04");
        new YearMonth(2009, 4).ToYyyyMm().Should().Be(200904);
        YearMonth.FromYyyyMm(201001).Should().Be(new YearMonth(2010, 1));
        new YearMonth(2010, 1).Describe().Should().Be("January 2010");
    }

    [Theory]
    [InlineData(2009, 4, 9, 2010, 1)]
    [InlineData(2009, 12, 1, 2010, 1)]
    [InlineData(2010, 1, -1, 2009, 12)]
    [InlineData(2010, 1, -12, 2009, 1)]
    [InlineData(2010, 3, -25, 2008, 2)]
    [InlineData(2009, 4, 0, 2009, 4)]
    public void Adds_months_across_years(int y, int m, int n, int ey, int em) =>
        new YearMonth(y, m).AddMonths(n).Should().Be(new YearMonth(ey, em));

    [Fact]
    public void MonthsUntil_is_other_minus_this()
    {
        new YearMonth(2009, 4).MonthsUntil(new YearMonth(2010, 1)).Should().Be(9);
        new YearMonth(2010, 1).MonthsUntil(new YearMonth(2009, 4)).Should().Be(-9);
        new YearMonth(2009, 4).MonthsUntil(new YearMonth(2009, 4)).Should().Be(0);
    }

    [Fact]
    public void Orders_by_time()
    {
        var a = new YearMonth(2009, 12);
        var b = new YearMonth(2010, 1);
        (a < b).Should().BeTrue();
        (b > a).Should().BeTrue();
        (a <= new YearMonth(2009, 12)).Should().BeTrue();
        (a >= b).Should().BeFalse();
        a.CompareTo(b).Should().BeNegative();
        new[] { b, a }.Order().Should().Equal(a, b);
    }

    [Theory]
    [InlineData(2009, 4, 2009)]
    [InlineData(2010, 3, 2009)]
    [InlineData(2010, 1, 2009)]
    [InlineData(2009, 3, 2008)]
    [InlineData(2009, 12, 2009)]
    public void Belongs_to_the_financial_year_starting_in_april(int y, int m, int fyStart) =>
        new YearMonth(y, m).FinancialYear.Should().Be(new FinancialYear(fyStart));

    [Fact]
    public void First_day_is_the_first_of_the_month() =>
        new YearMonth(2010, 2).FirstDay.Should().Be(new DateOnly(2010, 2, 1));
}
