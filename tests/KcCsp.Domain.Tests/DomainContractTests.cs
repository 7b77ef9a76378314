using System.Globalization;

namespace KcCsp.Domain.Tests;

/// <summary>
/// The domain's guards and boundaries, written against the mutants Stryker.NET found surviving (docs/testing.md): a
/// guard that stops guarding, a range check that lets the boundary through, a message that loses its words. The
/// messages matter: the command line and the import report show them to people as they are.
/// </summary>
public class DomainContractTests
{
    [Fact]
    public void Months_have_their_english_names()
    {
        Enumerable.Range(1, 12).Select(m => new YearMonth(2010, m).MonthName).Should().Equal(
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December");
        CultureInfo.CurrentCulture.Name.Should().NotBeNull();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9999, 12)]
    public void Years_from_1_to_9999_are_months(int year, int month) =>
        new YearMonth(year, month).Year.Should().Be(year);

    [Theory]
    [InlineData(0)]
    [InlineData(10000)]
    [InlineData(-5)]
    public void Years_outside_1_to_9999_are_refused_with_the_reason(int year)
    {
        var act = () => new YearMonth(year, 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A year must be between 1 and 9999.*");
    }

    [Fact]
    public void Month_13_is_refused_with_the_reason()
    {
        var act = () => new YearMonth(2010, 13);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A month must be between 1 and 12.*");
    }

    [Theory]
    [InlineData("0000-01")]
    [InlineData("2010-1a")]
    [InlineData("20a0-01")]
    [InlineData("2010-")]
    [InlineData("a01001")]
    public void Months_that_are_not_months_do_not_parse(string text) =>
        YearMonth.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Parsing_a_month_names_what_was_wrong_and_refuses_null()
    {
        YearMonth.TryParse("0001-01", out var first).Should().BeTrue();
        first.Should().Be(new YearMonth(1, 1));
        var bad = () => YearMonth.Parse("2010-13");
        bad.Should().Throw<FormatException>().WithMessage("'2010-13' is not a month: expected YYYY-MM*");
        var none = () => YearMonth.Parse(null!);
        none.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Months_compare_strictly_and_min_and_max_pick_the_right_one()
    {
        var (a, b, same) = (new YearMonth(2010, 3), new YearMonth(2010, 4), new YearMonth(2010, 3));
        (b > a).Should().BeTrue();
        (a > same).Should().BeFalse();
        (a > b).Should().BeFalse();
        YearMonth.Max(a, b).Should().Be(b);
        YearMonth.Max(b, a).Should().Be(b);
        YearMonth.Min(a, b).Should().Be(a);
        YearMonth.Min(b, a).Should().Be(a);
        YearMonth.Max(a, a).Should().Be(a);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9998)]
    public void Financial_years_start_between_1_and_9998(int start)
    {
        new FinancialYear(start).StartYear.Should().Be(start);
        FinancialYear.TryParse(start.ToString("D4", CultureInfo.InvariantCulture) + "/" + ((start + 1) % 100).ToString("D2", CultureInfo.InvariantCulture), out var fy).Should().BeTrue();
        fy.StartYear.Should().Be(start);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9999)]
    public void Financial_years_outside_1_to_9998_are_refused(int start)
    {
        var act = () => new FinancialYear(start);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A financial year must start between 1 and 9998.*");
        FinancialYear.TryParse(start.ToString("D4", CultureInfo.InvariantCulture) + "/" + ((start + 1) % 100).ToString("D2", CultureInfo.InvariantCulture), out _).Should().BeFalse();
    }

    [Fact]
    public void Financial_year_parse_messages_say_what_was_meant()
    {
        var form = () => FinancialYear.Parse("2009");
        form.Should().Throw<FormatException>().WithMessage("'2009' is not a financial year: expected the form 2009/10.");
        var typo = () => FinancialYear.Parse("2009/11");
        typo.Should().Throw<FormatException>().WithMessage("'2009/11' is not a financial year: a financial year runs April to March, so 2009 must be followed by 10.");
        var typo4 = () => FinancialYear.Parse("2009/2011");
        typo4.Should().Throw<FormatException>().WithMessage("*so 2009 must be followed by 2010.");
        var early = () => FinancialYear.Parse("2008/10");
        early.Should().Throw<FormatException>().WithMessage("*so 2008 must be followed by 09.");
        var none = () => FinancialYear.Parse(null!);
        none.Should().Throw<ArgumentNullException>();
        FinancialYear.TryParse("2009/1a", out _).Should().BeFalse();
        FinancialYear.TryParse("2009/a0", out _).Should().BeFalse();
    }

    [Fact]
    public void A_calendar_month_outside_1_to_12_is_refused_with_the_reason()
    {
        var act = () => new FinancialYear(2009).MonthNumbered(13);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A calendar month must be between 1 and 12.*");
        var zero = () => new FinancialYear(2009).MonthNumbered(0);
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Financial_years_compare_strictly()
    {
        var (a, b, same) = (new FinancialYear(2009), new FinancialYear(2010), new FinancialYear(2009));
        (a < b).Should().BeTrue();
        (a < same).Should().BeFalse();
        (b > a).Should().BeTrue();
        (a > same).Should().BeFalse();
        (a > b).Should().BeFalse();
        (a <= same).Should().BeTrue();
        (a <= b).Should().BeTrue();
        (b <= a).Should().BeFalse();
        (a >= same).Should().BeTrue();
        (b >= a).Should().BeTrue();
        (a >= b).Should().BeFalse();
    }

    [Fact]
    public void London_rank_guards_and_messages()
    {
        var outside = () => new LondonRank(33, 32);
        outside.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A rank must be between 1 and the number of areas ranked (32).*");
        var parse = () => LondonRank.Parse("33rd lowest");
        parse.Should().Throw<FormatException>().WithMessage("'33rd lowest' is not a London rank: expected e.g. \"9th lowest\" or \"6th highest\", between 1 and 32.");
        var none = () => LondonRank.Parse(null!);
        none.Should().Throw<ArgumentNullException>();
        LondonRank.TryParse("1st lowest", 0, out _).Should().BeFalse();
        LondonRank.TryParse("1st lowest", 1, out var only).Should().BeTrue();
        only.Should().Be(new LondonRank(1, 1));
        LondonRank.TryParse("32nd lowest", 32, out var last).Should().BeTrue();
        last.PositionFromLowest.Should().Be(32);
        LondonRank.TryParse("0th lowest", 32, out _).Should().BeFalse();
        LondonRank.TryParse(null, 32, out _).Should().BeFalse();
        var noRates = () => LondonRank.Of(null!, "Camden");
        noRates.Should().Throw<ArgumentNullException>();
        var noArea = () => LondonRank.Of([], null!);
        noArea.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Poisson_means_test_guards_and_wording()
    {
        var negative = () => PoissonMeansTest.Test(-1, 1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A count cannot be negative.*").Which.ParamName.Should().Be("previous");
        var negativeCurrent = () => PoissonMeansTest.Test(1, -1);
        negativeCurrent.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A count cannot be negative.*").Which.ParamName.Should().Be("current");
        foreach (var alpha in new[] { 0.0, 1.0, -0.1, double.NaN })
        {
            var act = () => PoissonMeansTest.Test(1, 2, alpha);
            act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The significance level must be between 0 and 1.*");
        }

        // Equal non-zero counts are a change of nothing, tested like any other (not "no events").
        PoissonMeansTest.Test(5, 5).Explanation.Should().Be("The change from 5 to 5 is not statistically significant at the 95% level (p = 1.000): it could be chance.");
        PoissonMeansTest.Test(100, 200, 0.01).Explanation.Should().StartWith("The change from 100 to 200 is statistically significant at the 99% level (p < 0.001)");
    }

    [Fact]
    public void Other_guards_name_their_reason()
    {
        var rate = () => Rate.Per1000(1, 0);
        rate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A population must be greater than zero to give a rate.*");
        var months = () => TargetEvaluator.Evaluate(TargetForm.Level, 1, Polarity.LowerIsBetter, 1, null, true, monthsElapsed: 13);
        months.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Months elapsed must be between 1 and 12.*");
        var form = () => TargetEvaluator.Evaluate((TargetForm)99, 1, Polarity.LowerIsBetter, 1, 1, true);
        form.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown target form.*");
        var word = () => TargetStatusText.Word((TargetStatus)99);
        word.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown target status.*");
        var icon = () => TargetStatusText.Icon((TargetStatus)99);
        icon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown target status.*");
        var parse = () => TargetStatusText.ParseWord(null!);
        parse.Should().Throw<ArgumentNullException>();
        var shift = () => SpcAnalysis.Analyse([1, 2, 3], Polarity.LowerIsBetter, settings: new SpcSettings(ShiftRunLength: 1));
        shift.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A shift needs a run of at least 2 points.*");
        var trend = () => SpcAnalysis.Analyse([1, 2, 3], Polarity.LowerIsBetter, settings: new SpcSettings(TrendRunLength: 1));
        trend.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A trend needs a run of at least 2 points.*");
        var baseline = () => SpcAnalysis.Analyse([1, 2, 3], Polarity.LowerIsBetter, baselinePoints: 0);
        baseline.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A baseline needs at least one point.*");
    }

    [Fact]
    public void A_moving_range_exactly_at_the_screening_limit_is_screened()
    {
        // Ranges 0.733 ×3 and 9.801: the mean range is 3 and 3.267 × 3 = 9.801, so the last is screened (NHSRplotthedots
        // keeps only ranges strictly below the limit).
        var r = SpcAnalysis.Analyse([0, 0.733m, 0, 0.733m, 10.534m], Polarity.LowerIsBetter);
        r.MeanMovingRange.Should().Be(0.733m);
    }

    [Fact]
    public void Points_without_a_signal_are_neither_improvement_nor_concern()
    {
        var r = SpcAnalysis.Analyse([10, 12, 10, 12, 10, 12, 10, 12, 10, 12], Polarity.HigherIsBetter);
        r.Points.Should().OnlyContain(p => !p.Improvement && p.Signals == SpcSignal.None);
        SpcAnalysis.Analyse([42], Polarity.HigherIsBetter).Points[0].Improvement.Should().BeFalse();
        SpcAnalysis.Analyse([42, 50], Polarity.HigherIsBetter, baselinePoints: 1).Points.Should().OnlyContain(p => !p.Improvement);
    }
}

/// <summary>
/// The Poisson means test's p-value against the exact binomial sum, computed here with whole numbers: every regime of
/// the Stirling-error series (n up to 15 from the table, then 15–35, 35–80, 80–500 and above) to 12 significant digits.
/// </summary>
public class PoissonMeansTestExactTests
{
    private static double ExactTwoSided(int previous, int current)
    {
        var n = previous + current;
        var m = Math.Min(current, n - current);
        System.Numerics.BigInteger tail = 0, choose = 1;
        for (var k = 0; k <= m; k++)
        {
            if (k > 0) choose = choose * (n - k + 1) / k;
            tail += choose;
        }
        // tail / 2^n, as a double without overflow: compare logarithms.
        var p = Math.Exp(System.Numerics.BigInteger.Log(tail) - n * Math.Log(2));
        return Math.Min(1.0, 2 * p);
    }

    [Theory]
    [InlineData(4, 9)]
    [InlineData(10, 20)]
    [InlineData(12, 30)]
    [InlineData(20, 40)]
    [InlineData(35, 45)]
    [InlineData(30, 60)]
    [InlineData(150, 210)]
    [InlineData(400, 480)]
    [InlineData(700, 820)]
    [InlineData(3000, 3200)]
    public void The_p_value_is_the_exact_binomial_tail(int previous, int current)
    {
        var exact = ExactTwoSided(previous, current);
        var p = PoissonMeansTest.Test(previous, current).PValue;
        p.Should().BeApproximately(exact, exact * 1e-12, $"{previous} → {current}");
        PoissonMeansTest.Test(current, previous).PValue.Should().BeApproximately(exact, exact * 1e-12, "the test is symmetric");
    }
}
