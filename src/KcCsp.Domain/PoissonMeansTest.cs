using System.Globalization;

namespace KcCsp.Domain;

/// <summary>The answer to "is this change real, or could it be chance?"</summary>
public sealed record SignificanceResult(double PValue, bool Significant, string Explanation);

/// <summary>
/// The Poisson means test crime analysts use for two counts over equal exposure (this year
/// against last): the conditional binomial exact test. Given previous a and current b, under
/// "no change" b ~ Binomial(a + b, ½).
/// </summary>
public static class PoissonMeansTest
{
    public static SignificanceResult Test(long previous, long current, double alpha = 0.05)
    {
        if (previous < 0)
            throw new ArgumentOutOfRangeException(nameof(previous), previous, "A count cannot be negative.");
        if (current < 0)
            throw new ArgumentOutOfRangeException(nameof(current), current, "A count cannot be negative.");
        if (alpha is <= 0 or >= 1 || double.IsNaN(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must be between 0 and 1.");

        var p = TwoSidedPValue(previous, current);
        var significant = p < alpha;
        var confidence = (1 - alpha).ToString("0.##%", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
        var explanation = previous + current == 0
            ? "No events in either period, so there is no change to test."
            : significant
                ? string.Create(CultureInfo.InvariantCulture,
                    $"The change from {previous:N0} to {current:N0} is statistically significant at the {confidence} level ({PText(p)}): unlikely to be chance.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"The change from {previous:N0} to {current:N0} is not statistically significant at the {confidence} level ({PText(p)}): it could be chance.");
        return new SignificanceResult(p, significant, explanation);
    }

    private static string PText(double p) => p < 0.001
        ? "p < 0.001"
        : "p = " + p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>min(1, 2 × min(P(X ≤ b), P(X ≥ b))) for X ~ Binomial(a + b, ½).</summary>
    internal static double TwoSidedPValue(long previous, long current)
    {
        var n = previous + current;
        if (n == 0)
            return 1.0;
        // With p = ½ the distribution is symmetric, so the smaller tail is P(X ≤ m), m = min(b, n − b).
        var m = Math.Min(current, n - current);
        return Math.Min(1.0, 2.0 * LowerTailHalf(n, m));
    }

    /// <summary>
    /// P(X ≤ m) for X ~ Binomial(n, ½), m ≤ n/2: the probability at m from a saddle-point formula
    /// (accurate to full precision even for millions of trials), then the terms below it by their
    /// ratio k / (n − k + 1), until they no longer change the sum. Near the centre that is a few
    /// multiples of √n terms; in the tails only a handful.
    /// </summary>
    private static double LowerTailHalf(long n, long m)
    {
        var logTerm = LogBinomialHalfProbability(n, m);
        var sum = 1.0;
        var term = 1.0;
        for (var k = m; k > 0; k--)
        {
            term *= (double)k / (n - k + 1);
            sum += term;
            if (term < sum * 1e-17)
                break;
        }

        return Math.Exp(logTerm + Math.Log(sum));
    }

    /// <summary>log P(X = x) for X ~ Binomial(n, ½), after Loader (2000), "Fast and accurate computation of binomial probabilities".</summary>
    internal static double LogBinomialHalfProbability(long n, long x)
    {
        if (x == 0 || x == n)
            return n * -Math.Log(2.0);
        double nd = n, xd = x, yd = n - x;
        var half = nd / 2.0;
        var lc = StirlingError(nd) - StirlingError(xd) - StirlingError(yd) - DevianceTerm(xd, half) - DevianceTerm(yd, half);
        var lf = Math.Log(2.0 * Math.PI) + Math.Log(xd) + Math.Log(yd) - Math.Log(nd);
        return lc - 0.5 * lf;
    }

    /// <summary>ln(n!) − ln(√(2πn) (n/e)^n): the error of Stirling's formula.</summary>
    private static double StirlingError(double n)
    {
        const double s0 = 1.0 / 12;
        const double s1 = 1.0 / 360;
        const double s2 = 1.0 / 1260;
        const double s3 = 1.0 / 1680;
        const double s4 = 1.0 / 1188;
        if (n <= 15.0)
            return LogFactorialSmall[(int)n] - (n + 0.5) * Math.Log(n) + n - 0.5 * Math.Log(2.0 * Math.PI);
        var nn = n * n;
        if (n > 500) return (s0 - s1 / nn) / n;
        if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
        if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
    }

    // ln(k!) for k = 0..15, from exact products (15! < 2^53, so every product is exact).
    private static readonly double[] LogFactorialSmall = Enumerable.Range(0, 16)
        .Select(k => Math.Log(Enumerable.Range(1, k).Aggregate(1.0, (f, i) => f * i)))
        .ToArray();

    /// <summary>x ln(x/np) + np − x, by a series when x is close to np to avoid cancellation.</summary>
    private static double DevianceTerm(double x, double np)
    {
        if (Math.Abs(x - np) < 0.1 * (x + np))
        {
            var v = (x - np) / (x + np);
            var s = (x - np) * v;
            var ej = 2 * x * v;
            v *= v;
            for (var j = 1; j < 1000; j++)
            {
                ej *= v;
                var s1 = s + ej / (2 * j + 1);
                if (s1 == s)
                    return s1;
                s = s1;
            }

            return s;
        }

        return x * Math.Log(x / np) + np - x;
    }
}
