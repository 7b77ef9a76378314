using System.Globalization;
using System.Text.Json.Nodes;

namespace KcCsp.Web.Tests.Analytics;

/// <summary>
/// The CLI's and the API's XmR chart of Kensington and Chelsea's total notifiable offences, against monthly totals and
/// limits computed here from the real file: the test's own XmR arithmetic, not the portal's.
/// </summary>
[Collection(nameof(RealDataPortal))]
public sealed class SpcRealDataTests(RealDataPortal portal)
{
    private const string Borough = "Kensington and Chelsea";

    [Theory]
    [InlineData("2010-04", "2013-03", "2012-03")]
    [InlineData("2008-04", "2011-03", null)]
    public async Task Spc_matches_an_independent_calculation_from_the_file(string from, string to, string? baselineTo)
    {
        var totals = portal.MonthlyTotals(Borough);
        var months = Months(from, to);
        var values = months.Select(m => (decimal)totals[m]).ToList();
        var baselineCount = baselineTo is null ? months.Count : months.IndexOf(Yyyymm(baselineTo)) + 1;
        var baseline = values.Take(baselineCount).ToList();
        var mean = baseline.Average();
        var ranges = baseline.Zip(baseline.Skip(1), (a, b) => Math.Abs(b - a)).ToList();
        var amr = ranges.Average();
        amr = ranges.Where(r => r < 3.267m * amr).Average(); // NHSRplotthedots screens moving ranges of 3.267 × the mean or more
        var upper = mean + 2.66m * amr;
        var lower = mean - 2.66m * amr;

        string[] args = ["spc", "total-notifiable-offences", "--area", Borough, "--from", from, "--to", to, "--json"];
        if (baselineTo is not null) args = [.. args, "--baseline-to", baselineTo];
        var cli = await portal.CliJsonAsync(args);

        cli["mean"]!.GetValue<decimal>().Should().Be(Math.Round(mean, 4, MidpointRounding.AwayFromZero));
        cli["upperLimit"]!.GetValue<decimal>().Should().Be(Math.Round(upper, 4, MidpointRounding.AwayFromZero));
        cli["lowerLimit"]!.GetValue<decimal>().Should().Be(Math.Round(lower, 4, MidpointRounding.AwayFromZero));
        cli["baselineFrom"]!.GetValue<string>().Should().Be(from);
        cli["baselineTo"]!.GetValue<string>().Should().Be(baselineTo ?? to);
        var points = cli["points"]!.AsArray();
        points.Select(p => p!["month"]!.GetValue<string>()).Should().Equal(months.Select(Text));
        points.Select(p => p!["value"]!.GetValue<decimal>()).Should().Equal(values);
        for (var i = 0; i < values.Count; i++)
        {
            var signals = points[i]!["signals"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            signals.Contains("above upper limit").Should().Be(values[i] > upper, Text(months[i]));
            signals.Contains("below lower limit").Should().Be(values[i] < lower, Text(months[i]));
        }

        var query = $"/api/measures/total-notifiable-offences/spc?area={Uri.EscapeDataString(Borough)}&from={from}&to={to}" + (baselineTo is null ? "" : $"&baselineTo={baselineTo}");
        RealDataPortal.SameRecord(cli, await portal.ApiJsonAsync(query));
    }

    [Fact]
    public async Task A_shift_the_file_shows_is_flagged_on_every_point_of_the_run()
    {
        // Independently: runs of 7 or more months on one side of the baseline mean, from the file's totals.
        var totals = portal.MonthlyTotals(Borough);
        var months = Months("2008-01", "2015-12");
        var values = months.Select(m => (decimal)totals[m]).ToList();
        var mean = values.Average();
        var expected = new HashSet<int>();
        var start = 0;
        for (var i = 1; i <= values.Count; i++)
        {
            var side = Math.Sign(values[start] - mean);
            if (i < values.Count && Math.Sign(values[i] - mean) == side) continue;
            if (side != 0 && i - start >= 7) for (var j = start; j < i; j++) expected.Add(j);
            start = i;
        }
        expected.Should().NotBeEmpty("eight years of a falling crime count have long runs on each side of the mean");

        var cli = await portal.CliJsonAsync("spc", "total-notifiable-offences", "--area", Borough, "--from", "2008-01", "--to", "2015-12", "--json");
        var flagged = cli["points"]!.AsArray().Select((p, i) => (i, p!["signals"]!.AsArray().Select(s => s!.GetValue<string>()).ToList()))
            .Where(x => x.Item2.Any(s => s.StartsWith("shift", StringComparison.Ordinal))).Select(x => x.i).ToHashSet();
        flagged.Should().BeEquivalentTo(expected);
    }

    [Theory]
    [InlineData("2013-01", "2012-01", null, "after its last")]
    [InlineData("2010-04", "2011-03", "2012-01", "outside the chart")]
    [InlineData("2004-01", "2009-03", null, "has no value for Kensington and Chelsea in 2004-01")]
    [InlineData("2010-13", "2011-03", null, "'2010-13' is not a month")]
    public async Task Bad_months_are_refused_with_a_reason(string from, string to, string? baselineTo, string message)
    {
        string[] args = ["spc", "total-notifiable-offences", "--area", Borough, "--from", from, "--to", to];
        if (baselineTo is not null) args = [.. args, "--baseline-to", baselineTo];
        var (exit, _, stderr) = await portal.Factory.RunCliAsync(args);
        exit.Should().Be(2);
        stderr.Should().Contain(message);

        var response = await portal.Board.GetAsync($"/api/measures/total-notifiable-offences/spc?area={Uri.EscapeDataString(Borough)}&from={from}&to={to}" + (baselineTo is null ? "" : $"&baselineTo={baselineTo}"));
        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message.Replace("'", "", StringComparison.Ordinal).Split(' ')[^1]);
    }

    [Fact]
    public async Task Unknown_measures_and_areas_are_refused()
    {
        var (exit, _, stderr) = await portal.Factory.RunCliAsync("spc", "no-such-measure", "--area", Borough, "--from", "2010-01", "--to", "2010-12");
        exit.Should().Be(2);
        stderr.Should().Contain("no-such-measure");
        var response = await portal.Board.GetAsync("/api/measures/total-notifiable-offences/spc?area=Atlantis&from=2010-01&to=2010-12");
        ((int)response.StatusCode).Should().Be(404);
    }

    private static int Yyyymm(string month) => int.Parse(month.Replace("-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static string Text(int yyyymm) => $"{yyyymm / 100:0000}-{yyyymm % 100:00}";

    private static List<int> Months(string from, string to)
    {
        var months = new List<int>();
        for (var m = Yyyymm(from); m <= Yyyymm(to); m = m % 100 == 12 ? m + 89 : m + 1) months.Add(m);
        return months;
    }
}
