using System.Net;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Domain;
using KcCsp.Web.Tests.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.SmallAreas;

/// <summary>
/// Wards kept from real MPS ward-level releases (Kensington and Chelsea's rows of two releases of different eras, see
/// RealFiles/mps/README.md): every ward's total notifiable offences this year to date and a year earlier are the file's
/// own sums, in the command line's `hotspots`, the API and the CSV download; bad ward files are refused by line and code.
/// </summary>
public sealed class HotspotTests : IAsyncDisposable
{
    private const string KandC = "Kensington and Chelsea";
    private readonly PortalFactory factory = new();

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    /// <summary>The file's own counts by ward code and month, read independently of the importer.</summary>
    private static (Dictionary<(string Ward, int Month), long> Counts, Dictionary<string, string> Names) ReadWards(string path)
    {
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        var header = ExtractFile.Split(lines[0]);
        var (name, code) = (header.IndexOf("WardName"), header.IndexOf("WardCode"));
        var months = header.Select((h, i) => (h, i)).Where(x => x.h.Length == 6 && x.h.All(char.IsAsciiDigit)).ToList();
        var counts = new Dictionary<(string, int), long>();
        var names = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = ExtractFile.Split(line);
            names[cells[code]] = cells[name];
            foreach (var (h, i) in months)
                counts[(cells[code], int.Parse(h))] = counts.GetValueOrDefault((cells[code], int.Parse(h))) + int.Parse(cells[i]);
        }
        return (counts, names);
    }

    private async Task<JsonElement> HotspotsAsync(string measure, string year, int toMonth, int exit = 0, params string[] more)
    {
        var (code, stdout, stderr) = await factory.RunCliAsync(["hotspots", measure, "--area", KandC, "--year", year, "--to-month", toMonth.ToString(), "--json", .. more]);
        code.Should().Be(exit, stderr);
        return exit == 0 ? JsonDocument.Parse(stdout).RootElement.Clone() : default;
    }

    [Theory]
    [InlineData("RealFiles/mps/ward-2022-02-to-2024-01-kc.csv")]
    [InlineData("RealFiles/mps/ward-2024-02-to-2026-01-kc.csv")]
    public async Task Every_ward_this_year_and_a_year_earlier_is_the_files_own_sum(string name)
    {
        var path = RealFileTests.PathOf(name);
        var (counts, names) = ReadWards(path);
        var json = await ImportTests.ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("unmappedCategories").GetArrayLength().Should().Be(0);

        // The file's latest like-for-like span, as the dashboards show it.
        var last = YearMonth.FromYyyyMm(counts.Keys.Max(k => k.Month));
        var periods = LikeForLike.YearToDate(last.FinancialYear, last.Month);
        long Sum(string ward, Period p) => counts.Where(c => c.Key.Ward == ward && p.Contains(YearMonth.FromYyyyMm(c.Key.Month))).Sum(c => c.Value);

        var hotspots = await HotspotsAsync("total-notifiable-offences", last.FinancialYear.ToString(), last.Month);
        hotspots.GetProperty("level").GetString().Should().Be("ward");
        var wards = hotspots.GetProperty("wards").EnumerateArray().ToList();
        wards.Select(w => w.GetProperty("code").GetString()).Should().BeEquivalentTo(names.Keys, "every Kensington and Chelsea ward of the file is listed");
        foreach (var w in wards)
        {
            var ward = w.GetProperty("code").GetString()!;
            w.GetProperty("name").GetString().Should().Be(names[ward]);
            w.GetProperty("value").GetInt64().Should().Be(Sum(ward, periods.Current), ward);
            w.GetProperty("previous").GetInt64().Should().Be(Sum(ward, periods.Previous), ward);
        }
        // Largest first; the shares add up to the whole; the borough's own figure is the wards' sum.
        wards.Select(w => w.GetProperty("value").GetInt64()).Should().BeInDescendingOrder();
        wards.Sum(w => w.GetProperty("sharePercent").GetDecimal()).Should().BeApproximately(100m, 0.2m);
        var borough = await ImportTests.MeasureAsync(factory, "total-notifiable-offences", last.FinancialYear.ToString(), last.Month);
        borough.GetProperty("value").GetDecimal().Should().Be(hotspots.GetProperty("total").GetInt64());

        // A measure of some categories only: residential burglary by ward adds up to the borough's figure too.
        var burglary = await HotspotsAsync("residential-burglary", last.FinancialYear.ToString(), last.Month);
        var boroughBurglary = await ImportTests.MeasureAsync(factory, "residential-burglary", last.FinancialYear.ToString(), last.Month);
        burglary.GetProperty("wards").EnumerateArray().Sum(w => w.GetProperty("value").GetInt64()).Should().Be((long)boroughBurglary.GetProperty("value").GetDecimal());

        // The priority page shows the headline measure's wards with the command line's figures.
        var client = await factory.SignedInClientAsync("Board");
        var page = await client.GetStringAsync($"/priorities/serious-acquisitive-crime?year={last.FinancialYear}&toMonth={last.Month}");
        foreach (var w in WardsOf(await HotspotsAsync("serious-acquisitive-crime", last.FinancialYear.ToString(), last.Month)))
            page.Should().MatchRegex($"<tr data-ward=\"{w.Code}\">.*?<td class=\"num\">{w.Value:N0}</td><td class=\"num\">{w.Previous:N0}</td>");

        // The API gives the same record; the CSV the same rows.
        var query = $"?area={Uri.EscapeDataString(KandC)}&year={last.FinancialYear}&toMonth={last.Month}";
        var api = JsonDocument.Parse(await client.GetStringAsync($"/api/measures/total-notifiable-offences/hotspots{query}")).RootElement;
        api.GetProperty("wards").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("value").GetInt64()))
            .Should().Equal(wards.Select(w => (w.GetProperty("code").GetString(), w.GetProperty("value").GetInt64())));
        var csv = await client.GetStringAsync($"/measures/total-notifiable-offences/hotspots.csv{query}");
        var top = wards[0];
        csv.Should().Contain($"{top.GetProperty("code").GetString()},").And.Contain($",{top.GetProperty("value").GetInt64()},{top.GetProperty("previous").GetInt64()},");
    }

    private static IEnumerable<(string Code, long Value, long Previous)> WardsOf(JsonElement hotspots) =>
        hotspots.GetProperty("wards").EnumerateArray().Select(w => (w.GetProperty("code").GetString()!, w.GetProperty("value").GetInt64(), w.GetProperty("previous").GetInt64()));

    [Fact]
    public async Task Lsoas_of_a_real_lsoa_release_are_ranked_with_the_files_own_sums()
    {
        var path = RealFileTests.PathOf("RealFiles/mps/lsoa-historical-2020-07-to-2024-06-extract.csv");
        var file = ExtractFile.Split(File.ReadLines(path).First());
        var rows = File.ReadLines(path).Skip(1).Select(ExtractFile.Split).Where(c => c[2] == "E09000020").ToList();
        await ImportTests.ImportAsync(factory, path);
        var json = await HotspotsAsync("total-notifiable-offences", "2023/24", 3, 0, "--level", "lsoa");
        json.GetProperty("level").GetString().Should().Be("lsoa");
        var lsoas = json.GetProperty("lsoas").EnumerateArray().ToList();
        lsoas.Select(l => l.GetProperty("code").GetString()).Should().BeEquivalentTo(["E01002884", "E01002885"]);
        long Sum(string lsoa, int from, int to) => rows.Where(r => r[0] == lsoa)
            .Sum(r => Enumerable.Range(5, file.Count - 5).Where(i => int.Parse(file[i]) >= from && int.Parse(file[i]) <= to).Sum(i => long.Parse(r[i])));
        foreach (var l in lsoas)
        {
            var code = l.GetProperty("code").GetString()!;
            l.GetProperty("name").GetString().Should().StartWith("Kensington and Chelsea 006");
            l.GetProperty("value").GetInt64().Should().Be(Sum(code, 202304, 202403));
            l.GetProperty("previous").GetInt64().Should().Be(Sum(code, 202204, 202303));
        }
    }

    [Fact]
    public async Task Two_releases_each_supply_their_own_months_and_a_borough_file_does_not_hide_them()
    {
        var older = RealFileTests.PathOf("RealFiles/mps/ward-2022-02-to-2024-01-kc.csv");
        var newer = RealFileTests.PathOf("RealFiles/mps/ward-2024-02-to-2026-01-kc.csv");
        var (oldCounts, _) = ReadWards(older);
        var (newCounts, _) = ReadWards(newer);
        await ImportTests.ImportAsync(factory, older);
        await ImportTests.ImportAsync(factory, newer);
        // A borough-level release of the same months, imported last: borough totals come from it, wards still from the ward files.
        await ImportTests.ImportAsync(factory, RealFileTests.PathOf("RealFiles/mps/borough-2023-12-to-2025-11.csv"));

        // 2024/25 to January: April 2024 – January 2025 from the newer file, April 2023 – January 2024 from the older.
        var json = await HotspotsAsync("total-notifiable-offences", "2024/25", 1);
        foreach (var w in json.GetProperty("wards").EnumerateArray())
        {
            var ward = w.GetProperty("code").GetString()!;
            w.GetProperty("value").GetInt64().Should().Be(newCounts.Where(c => c.Key.Ward == ward && c.Key.Month is >= 202404 and <= 202501).Sum(c => c.Value));
            w.GetProperty("previous").GetInt64().Should().Be(oldCounts.Where(c => c.Key.Ward == ward && c.Key.Month is >= 202304 and <= 202401).Sum(c => c.Value));
        }
        json.GetProperty("imports").EnumerateArray().Select(i => i.GetInt32()).Should().Equal(2, 1);
        json.GetProperty("missingMonths").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Ward_populations_give_rates_per_1000_residents_and_a_bad_population_file_writes_nothing()
    {
        var wards = RealFileTests.PathOf("RealFiles/mps/ward-2024-02-to-2026-01-kc.csv");
        var (counts, _) = ReadWards(wards);
        await ImportTests.ImportAsync(factory, wards);
        var populationFile = RealFileTests.PathOf("RealFiles/ons/ward-population-kc.csv");
        var (exit, stdout, stderr) = await factory.RunCliAsync("import-ward-population", populationFile, "--year", "2021");
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("18 added");
        // The population as the file prints it ("7,981"), read independently.
        var populations = File.ReadLines(populationFile).Skip(1).Select(ExtractFile.Split)
            .ToDictionary(c => c[2], c => long.Parse(c[4].Replace(",", "", StringComparison.Ordinal)));

        var json = await HotspotsAsync("total-notifiable-offences", "2025/26", 1);
        foreach (var w in json.GetProperty("wards").EnumerateArray())
        {
            var ward = w.GetProperty("code").GetString()!;
            var value = counts.Where(c => c.Key.Ward == ward && c.Key.Month is >= 202504 and <= 202601).Sum(c => c.Value);
            w.GetProperty("population").GetInt64().Should().Be(populations[ward]);
            w.GetProperty("populationYear").GetInt32().Should().Be(2021);
            w.GetProperty("ratePer1000").GetDecimal().Should().Be(Math.Round(value * 1000m / populations[ward], 2, MidpointRounding.AwayFromZero), ward);
        }

        // A file with a bad total and a repeated ward is refused whole, naming line and column.
        var bad = Write("Ward 2023 Code,Ward 2023 Name,Total", "E05009388,Abingdon,\"8,000\"", "E05009389,Brompton & Hans Town,lots", "E05009388,Abingdon,1");
        (exit, _, stderr) = await factory.RunCliAsync("import-ward-population", bad, "--year", "2022");
        exit.Should().Be(2);
        stderr.Should().Contain("line 3, column 3 (Total): 'lots' is not a population.").And.Contain("line 4, column 1 (Ward 2023 Code): E05009388 has a second row (the first is line 2).");
        using var scope = factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().SmallAreaPopulations.CountAsync(p => p.Year == 2022)).Should().Be(0);
    }

    [Fact]
    public async Task The_board_pack_has_a_Hotspots_sheet_with_every_ward_of_the_headline_crime_measures()
    {
        await ImportTests.ImportAsync(factory, RealFileTests.PathOf("RealFiles/mps/ward-2024-02-to-2026-01-kc.csv"));
        var expected = (await HotspotsAsync("serious-acquisitive-crime", "2025/26", 1)).GetProperty("wards").EnumerateArray()
            .Select(w => (w.GetProperty("code").GetString()!, w.GetProperty("value").GetInt64())).ToList();
        var client = await factory.SignedInClientAsync("Board");
        var bytes = await client.GetByteArrayAsync("/board-pack?year=2025/26&toMonth=1");
        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheet("Hotspots");
        var title = sheet.CellsUsed().First(c => c.GetString().StartsWith("Serious acquisitive crime by ward", StringComparison.Ordinal));
        var rows = Enumerable.Range(title.Address.RowNumber + 2, expected.Count)
            .Select(r => (sheet.Cell(r, 1).GetString(), (long)sheet.Cell(r, 3).GetDouble())).ToList();
        rows.Should().Equal(expected);
        sheet.PageSetup.PrintAreas.Should().NotBeNull();
    }

    private static string Write(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kccsp-wards-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n");
        return path;
    }

    private const string Header = "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202404,202504";

    [Fact]
    public async Task A_ward_the_earlier_months_do_not_list_has_no_like_for_like()
    {
        await ImportTests.ImportAsync(factory, Write("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202404",
            "THEFT,SHOPLIFTING,Abingdon,E05009388,Kensington and Chelsea,10",
            "THEFT,SHOPLIFTING,Brompton & Hans Town,E05009389,Kensington and Chelsea,20"));
        // A release of a new boundary set: Abingdon is gone, a new ward appears, Brompton & Hans Town stays.
        await ImportTests.ImportAsync(factory, Write("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202504",
            "THEFT,SHOPLIFTING,Brompton & Hans Town,E05009389,Kensington and Chelsea,15",
            "THEFT,SHOPLIFTING,New Ward,E05099999,Kensington and Chelsea,7"));

        var json = await HotspotsAsync("total-notifiable-offences", "2025/26", 4);
        var wards = json.GetProperty("wards").EnumerateArray().ToDictionary(w => w.GetProperty("code").GetString()!);
        wards.Keys.Should().BeEquivalentTo(["E05009389", "E05099999"], "a ward no file of these months lists is not shown");
        wards["E05099999"].GetProperty("previous").ValueKind.Should().Be(JsonValueKind.Null);
        wards["E05099999"].GetProperty("changeText").GetString().Should().Be("no like-for-like");
        wards["E05099999"].GetProperty("likeForLike").GetBoolean().Should().BeFalse();
        wards["E05009389"].GetProperty("previous").GetInt64().Should().Be(20);
        wards["E05009389"].GetProperty("changeText").GetString().Should().Be("-25.0%");
    }

    public static TheoryData<string, string, string> BadWardFiles => new()
    {
        { "a ward under two boroughs", string.Join("\r\n", Header,
            "THEFT,SHOPLIFTING,Abingdon,E05009388,Kensington and Chelsea,10,12",
            "THEFT,OTHER THEFT,Abingdon,E05009388,Westminster,1,2"),
          "line 3, column 4 (WardCode): The ward E05009388 (Abingdon) is under two boroughs: Kensington and Chelsea (line 2) and Westminster (line 3)" },
        { "a code in no known boundary set", string.Join("\r\n", Header,
            "THEFT,SHOPLIFTING,Abingdon,X123,Kensington and Chelsea,10,12"),
          "line 2, column 4 (WardCode): Ward code 'X123' is in no known boundary set" },
        { "wards that do not add up to the file's own borough total", string.Join("\r\n", Header,
            "THEFT,SHOPLIFTING,Abingdon,E05009388,Kensington and Chelsea,10,12",
            "THEFT,SHOPLIFTING,Brompton & Hans Town,E05009389,Kensington and Chelsea,5,6",
            "THEFT,SHOPLIFTING,,,Kensington and Chelsea,15,19"),
          "line 4, column 7 (202504): The wards of Kensington and Chelsea add up to 18 for THEFT / SHOPLIFTING in 2025-04; this row, the file's own borough total, says 19." },
        { "an LSOA code as a ward", string.Join("\r\n", Header,
            "THEFT,SHOPLIFTING,Abingdon,E01002840,Kensington and Chelsea,10,12"),
          "Ward code 'E01002840' is in no known boundary set" },
    };

    [Theory]
    [MemberData(nameof(BadWardFiles))]
    public async Task Bad_ward_files_are_refused_by_line_and_code_and_nothing_is_written(string why, string csv, string expected)
    {
        var (exit, _, stderr) = await factory.RunCliAsync("import", Write(csv.Split("\r\n")));
        exit.Should().Be(2, why);
        stderr.Should().Contain(expected, why).And.Contain("Nothing was written");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(0);
        (await db.SmallAreas.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_borough_total_row_that_its_wards_add_up_to_is_not_counted_twice()
    {
        await ImportTests.ImportAsync(factory, Write(Header,
            "THEFT,SHOPLIFTING,Abingdon,E05009388,Kensington and Chelsea,10,12",
            "THEFT,SHOPLIFTING,Brompton & Hans Town,E05009389,Kensington and Chelsea,5,6",
            "THEFT,SHOPLIFTING,,,Kensington and Chelsea,15,18",
            // A borough with a total and no wards keeps its total.
            "THEFT,SHOPLIFTING,,,Westminster,40,41"));
        (await ImportTests.MeasureAsync(factory, "total-notifiable-offences", "2025/26", 4)).GetProperty("value").GetDecimal().Should().Be(18);
        (await ImportTests.MeasureAsync(factory, "total-notifiable-offences", "2025/26", 4, "Westminster")).GetProperty("value").GetDecimal().Should().Be(41);
    }

    [Fact]
    public async Task A_ward_listed_under_an_airport_policing_unit_as_well_belongs_to_its_borough()
    {
        // As the MPS lists Heathrow Villages under Hillingdon and "Aviation Security (SO18)".
        await ImportTests.ImportAsync(factory, Write(Header,
            "THEFT,SHOPLIFTING,Heathrow Villages,E05013570,Aviation Security (SO18),3,4",
            "THEFT,SHOPLIFTING,Heathrow Villages,E05013570,Hillingdon,10,12"));
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var ward = await db.SmallAreas.Include(s => s.Area).SingleAsync();
        ward.Area!.Name.Should().Be("Hillingdon");
        // And a later file putting it in another borough is refused.
        var (exit, _, stderr) = await factory.RunCliAsync("import", Write(Header, "THEFT,SHOPLIFTING,Heathrow Villages,E05013570,Ealing,1,1"));
        exit.Should().Be(2);
        stderr.Should().Contain("The ward E05013570 (Heathrow Villages) is in Hillingdon in earlier imports; this file puts it under Ealing.");
    }

    [Fact]
    public async Task Asking_without_ward_data_or_for_an_unknown_measure_is_a_clear_refusal()
    {
        await ImportTests.ImportAsync(factory, RealFileTests.PathOf("RealFiles/mps/borough-2023-12-to-2025-11.csv"));
        var (exit, _, stderr) = await factory.RunCliAsync("hotspots", "total-notifiable-offences", "--area", KandC, "--year", "2024/25", "--to-month", "3");
        exit.Should().Be(2);
        stderr.Should().Contain("No ward-level file covers Kensington and Chelsea for April 2024 – March 2025");
        (exit, _, stderr) = await factory.RunCliAsync("hotspots", "no-such-measure", "--area", KandC, "--year", "2024/25", "--to-month", "3");
        exit.Should().Be(2);
        stderr.Should().Contain("There is no measure with the code 'no-such-measure'");
        (exit, _, stderr) = await factory.RunCliAsync("hotspots", "total-notifiable-offences", "--area", KandC, "--year", "2024/25", "--to-month", "3", "--level", "street");
        exit.Should().Be(2);
        stderr.Should().Contain("'street' is not a level");

        var client = await factory.SignedInClientAsync("Board");
        var response = await client.GetAsync($"/api/measures/total-notifiable-offences/hotspots?area={Uri.EscapeDataString(KandC)}&year=2024/25&toMonth=3");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No ward-level file covers");
        (await client.GetAsync($"/api/measures/no-such-measure/hotspots?area={Uri.EscapeDataString(KandC)}&year=2024/25&toMonth=3")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/measures/total-notifiable-offences/hotspots?year=2024/25&toMonth=3")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
