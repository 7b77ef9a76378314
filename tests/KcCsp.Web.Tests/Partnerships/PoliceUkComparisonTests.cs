using System.Text.Json;
using FluentAssertions;
using KcCsp.Domain;
using KcCsp.Web.Tests.Importing;
using Xunit;

namespace KcCsp.Web.Tests.Partnerships;

/// <summary>
/// Year on year and SPC for a measure over police.uk data, from the Metropolitan Police's real burglary rows in
/// Kensington and Chelsea (April–June 2022 and 2023, RealFiles/policeuk/metropolitan-kc), for a plan loaded from a file
/// beside K&amp;C's: the comparison is the files' own sums, its change and significance are computed from them.
/// </summary>
public sealed class PoliceUkComparisonTests : IAsyncDisposable
{
    private static readonly string[] Months = ["2022-04", "2022-05", "2022-06", "2023-04", "2023-05", "2023-06"];
    private readonly PortalFactory factory = new();

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static string File(string month) => Path.Combine(AppContext.BaseDirectory, "RealFiles", "policeuk", "metropolitan-kc", $"{month}-metropolitan-street.csv");

    /// <summary>Kensington and Chelsea's burglaries per month in the files: a repeated crime ID counts once.</summary>
    private static Dictionary<string, long> Expected()
    {
        var seen = new HashSet<string>();
        var result = new Dictionary<string, long>();
        foreach (var month in Months)
        {
            var lines = System.IO.File.ReadAllLines(File(month)).Where(l => l.Length > 0).ToList();
            var header = ExtractFile.Split(lines[0]);
            foreach (var cells in lines.Skip(1).Select(ExtractFile.Split))
            {
                var id = cells[header.IndexOf("Crime ID")];
                if (id.Length > 0 && !seen.Add(id)) continue;
                cells[header.IndexOf("LSOA name")].Should().StartWith("Kensington and Chelsea ");
                cells[header.IndexOf("Crime type")].Should().Be("Burglary");
                result[cells[header.IndexOf("Month")]] = result.GetValueOrDefault(cells[header.IndexOf("Month")]) + 1;
            }
        }
        return result;
    }

    [Fact]
    public async Task A_police_uk_measure_compares_year_on_year_and_draws_its_control_chart_from_the_files()
    {
        var plan = Path.Combine(factory.WorkDirectory, "kc-police-uk.json");
        await System.IO.File.WriteAllTextAsync(plan, """
            {
              "formatVersion": 1, "code": "kc-police-uk", "title": "Police.uk test plan", "partnership": "A test partnership",
              "years": "2023-2024", "localAuthority": { "code": "E09000020", "name": "Kensington and Chelsea" },
              "reportingYear": "2023/24", "reportingToMonth": 6,
              "priorities": [ { "code": "burglary", "title": "Burglary", "aim": "Fewer burglaries",
                "measures": [ { "code": "burglary", "name": "Burglary (police.uk)", "unit": "Count", "polarity": "LowerIsBetter",
                  "source": "CrimeExtract", "headline": true, "categories": [ "police-uk-burglary" ] } ] } ]
            }
            """);
        (await factory.RunCliAsync("import-plan", plan)).ExitCode.Should().Be(0);
        foreach (var month in Months) (await factory.RunCliAsync("import", File(month))).ExitCode.Should().Be(0);

        var expected = Expected();
        long Sum(int year) => Months.Where(m => m.StartsWith(year.ToString(), StringComparison.Ordinal)).Sum(m => expected[m]);
        var (now, before) = (Sum(2023), Sum(2022));
        now.Should().BeGreaterThan(0);
        before.Should().BeGreaterThan(0);

        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", "burglary", "--plan", "kc-police-uk", "--area", "Kensington and Chelsea", "--year", "2023/24", "--to-month", "6", "--json");
        exit.Should().Be(0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            var row = json.RootElement;
            row.GetProperty("value").GetDecimal().Should().Be(now);
            row.GetProperty("previous").GetDecimal().Should().Be(before);
            row.GetProperty("changePercent").GetDecimal().Should().Be(Change.Percent(now, before)!.Value);
            row.GetProperty("source").GetString().Should().Be("imported");
            row.GetProperty("sourceNote").GetString().Should().StartWith("police.uk street-level data, import #");
            row.GetProperty("significance").GetProperty("pValue").GetDouble().Should().Be(Math.Round(PoissonMeansTest.Test(before, now).PValue, 4));
        }

        (exit, stdout, stderr) = await factory.RunCliAsync("spc", "burglary", "--plan", "kc-police-uk", "--area", "Kensington and Chelsea", "--from", "2023-04", "--to", "2023-06", "--json");
        exit.Should().Be(0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            var points = json.RootElement.GetProperty("points").EnumerateArray()
                .Select(p => (p.GetProperty("month").GetString(), p.GetProperty("value").GetDecimal())).ToList();
            points.Should().Equal(new[] { "2023-04", "2023-05", "2023-06" }.Select(m => ((string?)m, (decimal)expected[m])));
        }

        // K&C's own plan is not touched: its burglary measure is the MPS one, with no police.uk values.
        (exit, stdout, _) = await factory.RunCliAsync("measure", "residential-burglary", "--area", "Kensington and Chelsea", "--year", "2023/24", "--to-month", "6", "--json");
        exit.Should().Be(0);
        stdout.Should().NotContain("police.uk");
    }
}
