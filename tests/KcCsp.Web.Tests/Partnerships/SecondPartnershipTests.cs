using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using FluentAssertions;
using KcCsp.Web.Tests.Importing;
using Xunit;

namespace KcCsp.Web.Tests.Partnerships;

/// <summary>
/// A second partnership end to end beside K&amp;C's: the Safer Maidstone Partnership's plan (plans/maidstone-2022-2025.json)
/// loaded with `import-plan`, real police.uk rows of Kent Police (April and May 2022: every row in a Maidstone LSOA and
/// about a hundred rows in each other Kent local authority, RealFiles/policeuk/kent-maidstone), the ONS LSOA lookup rows of
/// those LSOAs and ONS populations. Every figure is checked against the files themselves, read plainly here: each measure's
/// monthly values are Maidstone's counts of its crime types; the charged-or-summonsed share is the file's crimes with a
/// charge or summons out of all crimes; the rank is among Kent Police's local authorities by rate per 1,000 residents.
/// </summary>
public sealed class SecondPartnershipTests : IAsyncLifetime
{
    private const string Plan = "maidstone-2022-2025";
    private const string Password = "Maidstone-pass-2024!";
    private static readonly string[] Months = ["2022-04", "2022-05"];
    private readonly PortalFactory factory = new();

    private static string Real(string relative) => Path.Combine(AppContext.BaseDirectory, "RealFiles", relative);

    private static string Kent(string month) => Real($"policeuk/kent-maidstone/{month}-kent-street.csv");

    /// <summary>The test's own list: outcomes in these files that mean a charge or summons (docs/police-uk.md has the whole list).</summary>
    private static readonly HashSet<string> Charged = ["Awaiting court outcome", "Court result unavailable", "Suspect charged as part of another case",
        "Offender sent to prison", "Offender fined", "Defendant found not guilty", "Court case unable to proceed", "Offender given community sentence"];

    public async ValueTask InitializeAsync()
    {
        _ = factory.Server;
        await Cli("import-plan", PlanFileReaderTests.PlanPath("maidstone-2022-2025.json"));
        await Cli("import-lsoa-lookup", Real("ons/lsoa11-to-lad19-kent-extract.csv"));
        foreach (var month in Months) await Cli("import", Kent(month));
        // After the imports that add Kent's other local authorities: populations are loaded for the areas the portal knows.
        await Cli("import-population", Real("ons/kent-population.csv"));
        var (exit, _, err) = await factory.RunCliWithInputAsync(Password + "\n", "create-user", "--email", "board@maidstone.example", "--role", "Board", "--password-stdin", "--plan", Plan);
        exit.Should().Be(0, err);
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task Cli(params string[] args)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync(args);
        exit.Should().Be(0, $"{string.Join(' ', args)}: {stdout} {stderr}");
    }

    /// <summary>(local authority, crime type, month) → (crimes, charged or summonsed), read from the files: LSOAs placed by the
    /// ONS lookup rows shipped beside them; a repeated crime ID counts once, as its first row.</summary>
    private static Dictionary<(string Area, string Type, string Month), (long Crimes, long Charged)> Expected()
    {
        var lookup = File.ReadAllLines(Real("ons/lsoa11-to-lad19-kent-extract.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')).ToDictionary(c => c[1], c => c[6]);
        var result = new Dictionary<(string, string, string), (long, long)>();
        var seen = new HashSet<string>();
        foreach (var month in Months)
        {
            var lines = File.ReadAllLines(Kent(month)).Where(l => l.Length > 0).ToList();
            var header = ExtractFile.Split(lines[0]);
            int Col(string name) => header.IndexOf(name);
            foreach (var cells in lines.Skip(1).Select(ExtractFile.Split))
            {
                var id = cells[Col("Crime ID")];
                if (id.Length > 0 && !seen.Add(id)) continue;
                var key = (lookup[cells[Col("LSOA code")]], cells[Col("Crime type")], cells[Col("Month")]);
                var (crimes, charged) = result.GetValueOrDefault(key);
                result[key] = (crimes + 1, charged + (Charged.Contains(cells[Col("Last outcome category")]) ? 1 : 0));
            }
        }
        return result;
    }

    private Task<HttpClient> BoardAsync() => factory.SignedInAsAsync("board@maidstone.example", Password, followRedirects: false);

    private static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, url);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData("drugs", "Drugs")]
    [InlineData("possession-of-weapons", "Possession of weapons")]
    [InlineData("robbery", "Robbery")]
    [InlineData("violence-and-sexual-offences", "Violence and sexual offences")]
    [InlineData("anti-social-behaviour", "Anti-social behaviour")]
    [InlineData("public-order", "Public order")]
    [InlineData("shoplifting", "Shoplifting")]
    [InlineData("criminal-damage-and-arson", "Criminal damage and arson")]
    [InlineData("burglary", "Burglary")]
    [InlineData("vehicle-crime", "Vehicle crime")]
    [InlineData("all-crime", null)]
    public async Task Each_measure_s_months_are_Maidstone_s_own_counts_in_the_files(string measure, string? crimeType)
    {
        var expected = Expected();
        var board = await BoardAsync();
        var series = await JsonAsync(board, $"/api/measures/{measure}/series?area=Maidstone&from=2022-04&to=2022-05");
        var points = series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("month").GetString(), p.GetProperty("value").GetDecimal())).ToList();
        points.Should().Equal(Months.Select(m => ((string?)m, (decimal)expected
            .Where(e => e.Key.Area == "Maidstone" && e.Key.Month == m && (crimeType is null ? e.Key.Type != "Anti-social behaviour" : e.Key.Type == crimeType))
            .Sum(e => e.Value.Crimes))));
        points.Should().OnlyContain(p => p.Item2 > 0 || measure == "possession-of-weapons" || measure == "robbery");
        series.GetProperty("points")[0].GetProperty("sourceNote").GetString().Should().StartWith("police.uk street-level data, import #");
    }

    [Fact]
    public async Task The_charged_or_summonsed_share_and_the_rank_among_Kent_s_local_authorities_are_the_files_own()
    {
        var expected = Expected();
        var board = await BoardAsync();
        long All(string area) => expected.Where(e => e.Key.Area == area && e.Key.Type != "Anti-social behaviour").Sum(e => e.Value.Crimes);
        var charged = expected.Where(e => e.Key.Area == "Maidstone").Sum(e => e.Value.Charged);
        charged.Should().BeGreaterThan(0);

        var share = await JsonAsync(board, "/api/measures/charged-or-summonsed-share/comparison?area=Maidstone&year=2022/23&toMonth=5");
        share.GetProperty("value").GetDecimal().Should().Be(Math.Round(charged * 100m / All("Maidstone"), 1, MidpointRounding.AwayFromZero));

        // Anti-social behaviour per 1,000 residents (mid-2022) among the 13 local authorities of Kent Police, lowest first.
        var populations = File.ReadAllLines(Real("ons/kent-population.csv")).Skip(1).Select(l => l.Split(','))
            .Where(c => c[2] == "2022" && (c[0].StartsWith("E07") || c[0] == "E06000035")).ToDictionary(c => c[1], c => decimal.Parse(c[4]));
        populations.Should().HaveCount(13);
        var rates = populations.ToDictionary(p => p.Key, p => expected.Where(e => e.Key.Area == p.Key && e.Key.Type == "Anti-social behaviour").Sum(e => e.Value.Crimes) * 1000m / p.Value);
        var position = rates.Count(r => r.Value < rates["Maidstone"]) + 1;
        var phrase = position <= 13 / 2 ? $"{Ordinal(position)} lowest" : $"{Ordinal(14 - position)} highest";

        var asb = await JsonAsync(board, "/api/measures/anti-social-behaviour/comparison?area=Maidstone&year=2022/23&toMonth=5");
        asb.GetProperty("rankedAmong").GetString().Should().Be("Kent Police");
        asb.GetProperty("londonRank").GetString().Should().Be(phrase);
        asb.GetProperty("value").GetDecimal().Should().Be(expected.Where(e => e.Key.Area == "Maidstone" && e.Key.Type == "Anti-social behaviour").Sum(e => e.Value.Crimes));
    }

    private static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    [Fact]
    public async Task Maidstone_s_board_member_reads_its_dashboards_and_board_pack_and_not_K_and_C_s()
    {
        var board = await BoardAsync();
        var home = await board.GetStringAsync("/");
        home.Should().Contain("Serious and organised crime").And.Contain("A safe town centre").And.NotContain("Serious acquisitive crime");
        home.Should().Contain("April 2022").And.Contain("May 2022", "the latest months imported for Maidstone's measures are the default period");

        var page = await board.GetStringAsync("/priorities/safe-town-centre");
        page.Should().Contain("Rank in Kent Police").And.Contain("local authorities of Kent Police");
        var asb = Expected().Where(e => e.Key.Area == "Maidstone" && e.Key.Type == "Anti-social behaviour").Sum(e => e.Value.Crimes);
        page.Should().MatchRegex($@"data-measure=""anti-social-behaviour""[\s\S]*?{asb:N0}");

        var pack = await board.GetAsync("/board-pack");
        pack.StatusCode.Should().Be(HttpStatusCode.OK);
        using var workbook = new XLWorkbook(new MemoryStream(await pack.Content.ReadAsByteArrayAsync()));
        var cells = workbook.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetFormattedString()).ToList();
        cells.Should().Contain(c => c.Contains("Safer Maidstone", StringComparison.Ordinal) || c.Contains("Maidstone", StringComparison.Ordinal));
        cells.Should().Contain("Rank in Kent Police").And.NotContain(c => c.Contains("Serious acquisitive crime", StringComparison.Ordinal));

        (await board.GetAsync("/?plan=kc-2010-2013")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await board.GetAsync("/api/measures/serious-acquisitive-crime")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // K&C's board member still reads K&C's plan, as before.
        var kc = await factory.SignedInClientAsync("Board");
        (await kc.GetStringAsync("/")).Should().Contain("Serious acquisitive crime").And.NotContain("A safe town centre");
    }
}
