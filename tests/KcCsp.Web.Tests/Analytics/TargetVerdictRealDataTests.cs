using System.Globalization;
using System.Text.Json.Nodes;

namespace KcCsp.Web.Tests.Analytics;

/// <summary>
/// Target verdicts and London ranks computed by the portal from the IMPORTED real MPS extract and ONS populations (not
/// the plan's printed verdicts, which are seed text), checked against sums, changes, rates and ranks computed here
/// straight from the CSV files, with the verdict rule applied here by hand.
/// </summary>
[Collection(nameof(RealDataPortal))]
public sealed class TargetVerdictRealDataTests(RealDataPortal portal)
{
    private const string Borough = "Kensington and Chelsea";

    // Serious acquisitive crime as the plan defines it, in the historic file's category names.
    private static readonly string[] SeriousAcquisitive =
        ["Burglary in a Dwelling", "Theft From Motor Vehicle", "Theft/Taking Of Motor Vehicle", "Personal Property", "Business Property"];

    private long Sum(string borough, int from, int to) => portal.File.Sum(borough, (_, minor) => SeriousAcquisitive.Contains(minor), from, to);

    private static Dictionary<string, long> Populations(int year) => File.ReadAllLines(TestEnvironment.DataFile(RealDataPortal.Populations)).Skip(1)
        .Select(l => l.Split(','))
        .Where(c => c[0].StartsWith("E09", StringComparison.Ordinal) && c[0] != "E09000001" && c[2] == year.ToString(CultureInfo.InvariantCulture))
        .ToDictionary(c => c[1], c => long.Parse(c[4], CultureInfo.InvariantCulture));

    private static decimal Rate(long count, long population) => Math.Round(count * 1000m / population, 2, MidpointRounding.AwayFromZero);

    private static string Phrase(int fromLowest, int size)
    {
        static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
        return fromLowest <= size / 2 ? $"{Ordinal(fromLowest)} lowest" : $"{Ordinal(size + 1 - fromLowest)} highest";
    }

    [Fact]
    public async Task The_2010_11_reduction_target_verdict_and_london_rank_follow_from_the_imported_counts()
    {
        var current = Sum(Borough, 201004, 201103);
        var previous = Sum(Borough, 200904, 201003);
        current.Should().BePositive();
        var change = Math.Round((current - previous) * 100m / previous, 1, MidpointRounding.AwayFromZero);
        // The plan: "Serious acquisitive crime −1.2%" for 2010/11, lower is better; the rounded change is judged.
        var expectedStatus = change <= -1.2m ? "met" : "not met";
        var populations = Populations(2010);
        populations.Should().HaveCount(32);
        var rates = populations.ToDictionary(p => p.Key, p => Rate(Sum(p.Key, 201004, 201103), p.Value));
        var rank = Phrase(rates.Values.Count(r => r < rates[Borough]) + 1, 32);

        var api = await portal.ApiJsonAsync($"/api/measures/serious-acquisitive-crime/comparison?area={Uri.EscapeDataString(Borough)}&year=2010/11&toMonth=3");
        var because = api.ToJsonString();
        api["value"]!.GetValue<decimal>().Should().Be(current, because);
        api["previous"]!.GetValue<decimal>().Should().Be(previous, because);
        api["changePercent"]!.GetValue<decimal>().Should().Be(change, because);
        api["status"]!.GetValue<string>().Should().Be(expectedStatus, because);
        api["londonRank"]!.GetValue<string>().Should().Be(rank, because);

        var cli = await portal.CliJsonAsync("measure", "serious-acquisitive-crime", "--area", Borough, "--year", "2010/11", "--to-month", "3", "--json");
        cli["status"]!.GetValue<string>().Should().Be(expectedStatus);
        cli["londonRank"]!.GetValue<string>().Should().Be(rank);
    }

    [Fact]
    public async Task The_2010_11_rate_target_verdict_follows_from_the_imported_counts_and_populations()
    {
        var populations = Populations(2010);
        var rate = Rate(Sum(Borough, 201004, 201103), populations[Borough]);
        // LAA target: a serious acquisitive crime rate of 25.46 per 1,000 or less for the year.
        var expectedStatus = rate <= 25.46m ? "met" : "not met";
        var rates = populations.ToDictionary(p => p.Key, p => Rate(Sum(p.Key, 201004, 201103), p.Value));
        var rank = Phrase(rates.Values.Count(r => r < rate) + 1, 32);

        var api = await portal.ApiJsonAsync($"/api/measures/serious-acquisitive-crime-rate/comparison?area={Uri.EscapeDataString(Borough)}&year=2010/11&toMonth=3");
        var because = api.ToJsonString();
        api["value"]!.GetValue<decimal>().Should().Be(rate, because);
        api["status"]!.GetValue<string>().Should().Be(expectedStatus, because);
        api["londonRank"]!.GetValue<string>().Should().Be(rank, because);
    }
}
