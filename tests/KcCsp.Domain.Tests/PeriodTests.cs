namespace KcCsp.Domain.Tests;

public class PeriodTests
{
    private static YearMonth M(int y, int m) => new(y, m);

    [Fact]
    public void The_plans_april_to_january_period()
    {
        var p = Period.FinancialYearToDate(new FinancialYear(2009), 1);
        p.Should().Be(new Period(M(2009, 4), M(2010, 1)));
        p.MonthCount.Should().Be(10);
        p.ToString().Should().Be("2009-04..2010-01");
        p.Describe().Should().Be("April 2009 – January 2010");
        p.IsFullFinancialYear.Should().BeFalse();
    }

    [Fact]
    public void Youth_crime_april_to_december()
    {
        var p = Period.FinancialYearToDate(new FinancialYear(2009), 12);
        p.Should().Be(new Period(M(2009, 4), M(2009, 12)));
        p.MonthCount.Should().Be(9);
    }

    [Fact]
    public void Year_to_date_in_april_is_one_month() =>
        Period.FinancialYearToDate(new FinancialYear(2009), 4).MonthCount.Should().Be(1);

    [Fact]
    public void Must_not_end_before_it_starts()
    {
        var make = () => new Period(M(2010, 1), M(2009, 12));
        make.Should().Throw<ArgumentException>().WithMessage("*2009-12*2010-01*");
    }

    [Fact]
    public void Lists_and_contains_its_months()
    {
        var p = new Period(M(2009, 11), M(2010, 2));
        p.Months.Should().Equal(M(2009, 11), M(2009, 12), M(2010, 1), M(2010, 2));
        p.Contains(M(2009, 11)).Should().BeTrue();
        p.Contains(M(2010, 2)).Should().BeTrue();
        p.Contains(M(2010, 3)).Should().BeFalse();
        p.Contains(M(2009, 10)).Should().BeFalse();
    }

    [Fact]
    public void Same_months_a_year_earlier()
    {
        var p = new Period(M(2009, 4), M(2010, 1));
        p.SameMonthsYearEarlier().Should().Be(new Period(M(2008, 4), M(2009, 1)));
    }

    [Fact]
    public void Single_month()
    {
        var p = Period.SingleMonth(M(2010, 1));
        p.MonthCount.Should().Be(1);
        p.Months.Should().Equal(M(2010, 1));
        p.Describe().Should().Be("January 2010");
        p.ToString().Should().Be("2010-01..2010-01");
    }

    [Fact]
    public void Full_financial_year()
    {
        var p = Period.FullFinancialYear(new FinancialYear(2009));
        p.Should().Be(new Period(M(2009, 4), M(2010, 3)));
        p.IsFullFinancialYear.Should().BeTrue();
        p.MonthCount.Should().Be(12);
        Period.FinancialYearToDate(new FinancialYear(2009), 3).IsFullFinancialYear.Should().BeTrue();
    }

    [Fact]
    public void Twelve_months_not_starting_in_april_are_not_a_financial_year()
    {
        Period.RollingTwelveMonths(M(2010, 1)).IsFullFinancialYear.Should().BeFalse();
        Period.CalendarYear(2009).IsFullFinancialYear.Should().BeFalse();
    }

    [Fact]
    public void Rolling_twelve_months_ends_with_the_given_month()
    {
        var p = Period.RollingTwelveMonths(M(2010, 1));
        p.Should().Be(new Period(M(2009, 2), M(2010, 1)));
        p.MonthCount.Should().Be(12);
    }

    [Fact]
    public void Calendar_year()
    {
        var p = Period.CalendarYear(2009);
        p.Should().Be(new Period(M(2009, 1), M(2009, 12)));
        p.Describe().Should().Be("January 2009 – December 2009");
    }

    [Fact]
    public void Like_for_like_year_to_date_compares_april_january_with_april_january()
    {
        var c = LikeForLike.YearToDate(new FinancialYear(2009), 1);
        c.Current.Should().Be(new Period(M(2009, 4), M(2010, 1)));
        c.Previous.Should().Be(new Period(M(2008, 4), M(2009, 1)));
        c.Previous.Describe().Should().Be("April 2008 – January 2009");
        c.Current.MonthCount.Should().Be(c.Previous.MonthCount);
    }

    [Fact]
    public void Like_for_like_of_any_period()
    {
        var c = LikeForLike.Of(Period.RollingTwelveMonths(M(2010, 1)));
        c.Previous.Should().Be(new Period(M(2008, 2), M(2009, 1)));
        LikeForLike.Of(Period.SingleMonth(M(2010, 1))).Previous.Should().Be(Period.SingleMonth(M(2009, 1)));
    }
}
