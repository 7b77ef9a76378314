
namespace KcCsp.Domain.Tests;

public class PoissonMeansTestTests
{
    // Reference p-values from an independent computation: Python, exact integer sums of math.comb
    // over 2^n with fractions.Fraction (small n), and mpmath at 60 digits (large n).
    [Theory]
    [InlineData(3582, 3374, 0.013061451585273857)] // serious acquisitive crime: significant
    [InlineData(5298, 4779, 2.452852581435316e-07)] // drugs offences
    [InlineData(696, 652, 0.24151579140171162)] // domestic violence: could be chance
    [InlineData(484, 473, 0.7465219391207407)]
    [InlineData(157, 137, 0.26778718446143923)]
    [InlineData(443, 395, 0.10440733667295458)]
    [InlineData(354, 405, 0.06947128586948755)] // begging up 14.4%, yet not significant
    [InlineData(10, 0, 0.001953125)]
    [InlineData(0, 10, 0.001953125)]
    [InlineData(0, 1, 1.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(1, 2, 1.0)]
    [InlineData(3, 10, 0.09228515625)]
    [InlineData(10, 3, 0.09228515625)]
    [InlineData(20, 9, 0.06142834573984146)]
    [InlineData(1000, 1100, 0.030720707864242296)]
    [InlineData(100, 130, 0.055613577781392386)]
    [InlineData(12000, 11700, 0.05210894314748169)]
    public void Matches_exact_values(long previous, long current, double expected)
    {
        var r = PoissonMeansTest.Test(previous, current);
        r.PValue.Should().BeApproximately(expected, expected * 1e-12);
        r.Significant.Should().Be(expected < 0.05);
    }

    [Theory]
    [InlineData(1000000, 1000000, 1.0)]
    [InlineData(1000000, 999999, 1.0)]
    [InlineData(1000000, 1002000, 0.15771445281311985)]
    [InlineData(999000, 1001000, 0.15750684732297776)]
    [InlineData(1000000, 1003000, 0.03408836507943938)]
    [InlineData(1000000, 1004500, 0.00148447392100165)]
    [InlineData(1000000, 1006000, 2.2795446576997778e-05)]
    [InlineData(1000000, 1010000, 1.7539685614365955e-12)]
    [InlineData(1010000, 1000000, 1.7539685614365955e-12)]
    public void Stays_exact_for_millions_of_events(long previous, long current, double expected) =>
        PoissonMeansTest.Test(previous, current).PValue.Should().BeApproximately(expected, expected * 1e-9);

    [Fact]
    public void Far_tails_underflow_to_zero_not_to_nonsense()
    {
        var r = PoissonMeansTest.Test(1999990, 10);
        r.PValue.Should().Be(0.0);
        r.Significant.Should().BeTrue();
        r.Explanation.Should().Contain("p < 0.001");
    }

    [Fact]
    public void Nothing_in_either_period_is_no_change()
    {
        var r = PoissonMeansTest.Test(0, 0);
        r.PValue.Should().Be(1.0);
        r.Significant.Should().BeFalse();
        r.Explanation.Should().Contain("No events");
    }

    [Fact]
    public void Is_symmetric() =>
        PoissonMeansTest.Test(354, 405).PValue.Should().Be(PoissonMeansTest.Test(405, 354).PValue);

    [Fact]
    public void Explains_in_plain_words()
    {
        PoissonMeansTest.Test(3582, 3374).Explanation.Should()
            .Be("The change from 3,582 to 3,374 is statistically significant at the 95% level (p = 0.013): unlikely to be chance.");
        PoissonMeansTest.Test(696, 652).Explanation.Should()
            .Be("The change from 696 to 652 is not statistically significant at the 95% level (p = 0.242): it could be chance.");
    }

    [Fact]
    public void Alpha_sets_the_bar()
    {
        var r = PoissonMeansTest.Test(3582, 3374, alpha: 0.01);
        r.Significant.Should().BeFalse();
        r.Explanation.Should().Contain("99% level");
        PoissonMeansTest.Test(443, 395, alpha: 0.2).Significant.Should().BeTrue();
    }

    [Fact]
    public void Refuses_negative_counts_and_silly_alphas()
    {
        var negative = () => PoissonMeansTest.Test(-1, 3);
        var alpha = () => PoissonMeansTest.Test(1, 3, alpha: 1.5);
        negative.Should().Throw<ArgumentOutOfRangeException>();
        alpha.Should().Throw<ArgumentOutOfRangeException>();
    }
}
