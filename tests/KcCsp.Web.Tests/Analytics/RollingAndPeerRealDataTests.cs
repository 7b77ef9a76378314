using System.Globalization;
using System.Text.Json.Nodes;

namespace KcCsp.Web.Tests.Analytics;

/// <summary>
/// Rolling twelve months and peer-group positions from the CLI and the API against sums, rates, London ranks and group
/// positions computed here from the real MPS file and the real ONS population table.
/// </summary>
[Collection(nameof(RealDataPortal))]
public sealed class RollingAndPeerRealDataTests(RealDataPortal portal)
{
    private const string Borough = "Kensington and Chelsea";

    private static readonly string[] InnerLondon =
    [
        "Camden", "Hackney", "Hammersmith and Fulham", "Haringey", "Islington", "Kensington and Chelsea", "Lambeth",
        "Lewisham", "Newham", "Southwark", "Tower Hamlets", "Wandsworth", "Westminster",
    ];

    /// <summary>The ONS mid-year population of each borough (E09 codes, City of London excluded) for a year, read from the file.</summary>
    private static Dictionary<string, long> Populations(int year)
    {
        var lines = File.ReadAllLines(TestEnvironment.DataFile(RealDataPortal.Populations));
        return lines.Skip(1).Select(l => l.Split(','))
            .Where(c => c[0].StartsWith("E09", StringComparison.Ordinal) && c[0] != "E09000001" && c[2] == year.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(c => c[1], c => long.Parse(c[4], CultureInfo.InvariantCulture));
    }

    private int Sum(string borough, int fromYyyymm, int toYyyymm) =>
        portal.File.Counts.Where(c => c.Key.Area == borough && c.Key.Month >= fromYyyymm && c.Key.Month <= toYyyymm).Sum(c => c.Value);

    private static decimal Rate(int count, long population) => Math.Round(count * 1000m / population, 2, MidpointRounding.AwayFromZero);

    private static string Phrase(int positionFromLowest, int size) =>
        positionFromLowest <= size / 2 ? $"{Ordinal(positionFromLowest)} lowest" : $"{Ordinal(size + 1 - positionFromLowest)} highest";

    private static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    /// <summary>Rates of every borough for a period, from the file and the population table.</summary>
    private Dictionary<string, decimal> Rates(int fromYyyymm, int toYyyymm, int populationYear)
    {
        var populations = Populations(populationYear);
        populations.Should().HaveCount(32);
        return populations.ToDictionary(p => p.Key, p => Rate(Sum(p.Key, fromYyyymm, toYyyymm), p.Value));
    }

    private static void ExpectPeerGroup(JsonNode json, Dictionary<string, decimal> rates, Dictionary<string, int> counts)
    {
        var group = json["peerGroup"]!;
        var mine = rates[Borough];
        var groupRates = InnerLondon.ToDictionary(b => b, b => rates[b]);
        var position = groupRates.Values.Count(r => r < mine) + 1;
        group["name"]!.GetValue<string>().Should().Be("Inner London");
        group["size"]!.GetValue<int>().Should().Be(13);
        group["position"]!.GetValue<int>().Should().Be(position);
        group["rank"]!.GetValue<string>().Should().Be(Phrase(position, 13));
        group["average"]!.GetValue<decimal>().Should().Be(Math.Round(groupRates.Values.Average(), 2, MidpointRounding.AwayFromZero));
        var members = group["members"]!.AsArray();
        members.Select(m => m!["area"]!.GetValue<string>()).Should().BeEquivalentTo(InnerLondon);
        foreach (var m in members)
        {
            var name = m!["area"]!.GetValue<string>();
            m["rate"]!.GetValue<decimal>().Should().Be(groupRates[name], name);
            m["value"]!.GetValue<decimal>().Should().Be(counts[name], name);
        }
    }

    [Theory]
    [InlineData("2012-06")]
    [InlineData("2010-03")]
    public async Task Rolling_twelve_months_match_the_file(string to)
    {
        var end = int.Parse(to.Replace("-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var endMonth = new DateOnly(end / 100, end % 100, 1);
        int Yyyymm(DateOnly d) => d.Year * 100 + d.Month;
        var currentFrom = Yyyymm(endMonth.AddMonths(-11));
        var previousFrom = Yyyymm(endMonth.AddMonths(-23));
        var previousTo = Yyyymm(endMonth.AddMonths(-12));
        var current = Sum(Borough, currentFrom, end);
        var previous = Sum(Borough, previousFrom, previousTo);
        // The population of the year the period's financial year starts in.
        var start = endMonth.AddMonths(-11);
        var populationYear = start.Month >= 4 ? start.Year : start.Year - 1;
        var rates = Rates(currentFrom, end, populationYear);
        var londonPosition = rates.Values.Count(r => r < rates[Borough]) + 1;

        var cli = await portal.CliJsonAsync("measure", "total-notifiable-offences", "--area", Borough, "--rolling-12", "--to", to, "--json");
        cli["period"]!["from"]!.GetValue<string>().Should().Be($"{currentFrom / 100}-{currentFrom % 100:00}");
        cli["period"]!["to"]!.GetValue<string>().Should().Be(to);
        cli["previousPeriod"]!["from"]!.GetValue<string>().Should().Be($"{previousFrom / 100}-{previousFrom % 100:00}");
        cli["value"]!.GetValue<decimal>().Should().Be(current);
        cli["previous"]!.GetValue<decimal>().Should().Be(previous);
        cli["changePercent"]!.GetValue<decimal>().Should().Be(Math.Round((current - previous) * 100m / previous, 1, MidpointRounding.AwayFromZero));
        cli["londonRank"]!.GetValue<string>().Should().Be(Phrase(londonPosition, 32));
        cli["status"]!.GetValue<string>().Should().Be("no target");
        cli["projectedYearEnd"].Should().BeNull();
        var significance = cli["significance"]!;
        var p = significance["pValue"]!.GetValue<double>();
        p.Should().BeInRange(0, 1);
        // Independently, by the normal approximation, where it is far from the 5% line.
        var z = Math.Abs(current - previous) / Math.Sqrt(current + previous);
        if (z > 2.5) significance["significant"]!.GetValue<bool>().Should().BeTrue();
        if (z < 1.5) significance["significant"]!.GetValue<bool>().Should().BeFalse();
        var counts = InnerLondon.ToDictionary(b => b, b => Sum(b, currentFrom, end));
        ExpectPeerGroup(cli, rates, counts);

        RealDataPortal.SameRecord(cli, await portal.ApiJsonAsync($"/api/measures/total-notifiable-offences/rolling-12?area={Uri.EscapeDataString(Borough)}&to={to}"));
    }

    [Fact]
    public async Task Year_to_date_carries_the_peer_group_position_computed_from_the_file()
    {
        // 2011/12 to September: April to September 2011, populations of 2011.
        var rates = Rates(201104, 201109, 2011);
        var counts = InnerLondon.ToDictionary(b => b, b => Sum(b, 201104, 201109));
        var cli = await portal.CliJsonAsync("measure", "total-notifiable-offences", "--area", Borough, "--year", "2011/12", "--to-month", "9", "--json");
        cli["value"]!.GetValue<decimal>().Should().Be(counts[Borough]);
        ExpectPeerGroup(cli, rates, counts);
        RealDataPortal.SameRecord(cli, await portal.ApiJsonAsync($"/api/measures/total-notifiable-offences/comparison?area={Uri.EscapeDataString(Borough)}&year=2011/12&toMonth=9"));
    }

    [Theory]
    [InlineData(new[] { "--rolling-12" }, "--rolling-12 needs --to")]
    [InlineData(new[] { "--rolling-12", "--to", "2012-13" }, "'2012-13' is not a month")]
    [InlineData(new[] { "--rolling-12", "--to", "2012-06", "--year", "2011/12" }, "not --year")]
    [InlineData(new[] { "--to", "2012-06" }, "--to goes with --rolling-12")]
    [InlineData(new string[0], "--year is required")]
    public async Task Bad_rolling_options_are_refused(string[] options, string message)
    {
        var (exit, _, stderr) = await portal.Factory.RunCliAsync(["measure", "total-notifiable-offences", "--area", Borough, .. options]);
        exit.Should().Be(2);
        stderr.Should().Contain(message);
        var response = await portal.Board.GetAsync($"/api/measures/total-notifiable-offences/rolling-12?area={Uri.EscapeDataString(Borough)}&to=2012-13");
        ((int)response.StatusCode).Should().Be(400);
    }
}
