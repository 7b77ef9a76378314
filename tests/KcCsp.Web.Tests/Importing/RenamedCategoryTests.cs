using System.Text.Json;
using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// A release that carries one category under two names (the MPS's 2024 rename of "PUBLIC FEAR ALARM OR DISTRESS" to
/// "PUBLIC FEAR, ALARM OR DISTRESS": the old row with counts up to the change and zeros after, the new one the other
/// way round, both counted in the month of the change) imports, the two rows' counts added together and the report
/// saying so; a row repeating an earlier row's area and published names is still refused.
/// </summary>
public sealed class RenamedCategoryTests : IAsyncDisposable
{
    private const string KandC = "Kensington and Chelsea";
    private const string Header = "Group,SubGroup,BOCU,202401,202402,202403,202404,202405";
    private readonly PortalFactory factory = new();

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static string Write(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kccsp-rename-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n");
        return path;
    }

    [Fact]
    public async Task Two_spellings_of_one_category_in_one_wide_release_are_added_together_and_reported()
    {
        var path = Write(Header,
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,Kensington and Chelsea,40,41,17,0,0",
            "PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",Kensington and Chelsea,0,0,25,44,45",
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,Westminster,90,91,30,0,0",
            "PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",Westminster,0,0,60,99,98",
            "THEFT,SHOPLIFTING,Kensington and Chelsea,100,101,102,103,104",
            "THEFT,SHOPLIFTING,Westminster,200,201,202,203,204");
        var json = await ImportTests.ImportAsync(factory, path);

        var merged = json.GetProperty("report").GetProperty("namesAddedTogether").EnumerateArray().ToList();
        merged.Should().ContainSingle();
        merged[0].GetProperty("category").GetString().Should().Be("Public fear, alarm or distress");
        merged[0].GetProperty("names").EnumerateArray().Select(n => (n.GetProperty("minorCategory").GetString(), n.GetProperty("total").GetInt64()))
            .Should().Equal(("PUBLIC FEAR ALARM OR DISTRESS", 40 + 41 + 17 + 90 + 91 + 30L), ("PUBLIC FEAR, ALARM OR DISTRESS", 25 + 44 + 45 + 60 + 99 + 98L));

        // Every month of total notifiable offences is the file's own sum: both spellings counted, the month of the change included.
        (await MonthlyAsync("total-notifiable-offences", KandC)).Should().Equal(new Dictionary<int, long>
        {
            [202401] = 140, [202402] = 142, [202403] = 17 + 25 + 102, [202404] = 147, [202405] = 149,
        });
        (await MonthlyAsync("total-notifiable-offences", "Westminster"))[202403].Should().Be(30 + 60 + 202);

        // The command line and the Imports and Categories pages say so.
        var (exit, stdout, _) = await factory.RunCliAsync("import", Write(Header.Replace("202405", "202406", StringComparison.Ordinal),
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,Kensington and Chelsea,40,41,17,0,0",
            "Public Order Offences,Public Fear Alarm or Distress,Kensington and Chelsea,1,0,0,0,0"));
        exit.Should().Be(0, stdout);
        stdout.Should().Contain("2 names in this file map to Public fear, alarm or distress: 'PUBLIC ORDER OFFENCES / PUBLIC FEAR ALARM OR DISTRESS' (98), 'Public Order Offences / Public Fear Alarm or Distress' (1)");
        var analyst = await factory.SignedInClientAsync("Analyst");
        var importId = json.GetProperty("importId").GetInt32();
        var details = await analyst.GetStringAsync($"/imports/{importId}");
        details.Should().Contain("data-names-added-together").And.Contain("2 names in this file map to Public fear, alarm or distress");
        var categories = await analyst.GetStringAsync("/categories");
        categories.Should().Contain($"<a href=\"/imports/{importId}\">Import #{importId}</a>").And.Contain("2 names in this file map to Public fear, alarm or distress");
    }

    [Theory]
    [InlineData("LSOA Code,Borough,Major Category,Minor Category,202403", "E01002840", "E01002841")]
    [InlineData("WardCode,WardName,LookUp_BoroughName,MajorText,MinorText,202403", "E05013737,Abingdon", "E05013738,Brompton & Hans Town")]
    public async Task Two_spellings_in_a_small_area_file_are_added_for_the_same_small_area_and_month(string header, string first, string second)
    {
        var path = Write(header,
            first + ",Kensington and Chelsea,PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,3",
            first + ",Kensington and Chelsea,PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",4",
            second + ",Kensington and Chelsea,PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",5");
        var json = await ImportTests.ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("namesAddedTogether").GetArrayLength().Should().Be(1);
        (await MonthlyAsync("total-notifiable-offences", KandC)).Should().Equal(new Dictionary<int, long> { [202403] = 12 });
    }

    [Fact]
    public async Task A_real_release_with_both_spellings_imports_and_every_months_total_is_the_files_own_sum()
    {
        // Real rows of the MPS's LSOA-level historical release (July 2020 – June 2024; see RealFiles/mps/README.md): two
        // LSOAs of Kensington and Chelsea and two of Barking and Dagenham, the Borough column giving the ONS code.
        var path = RealFileTests.PathOf("RealFiles/mps/lsoa-historical-2020-07-to-2024-06-extract.csv");
        var file = ExtractFile.ReadWide(path);
        var json = await ImportTests.ImportAsync(factory, path);
        var report = json.GetProperty("report");
        report.GetProperty("unmappedCategories").GetArrayLength().Should().Be(0);
        report.GetProperty("newAreas").GetArrayLength().Should().Be(0, "E09000002 is Barking and Dagenham");
        var merged = report.GetProperty("namesAddedTogether").EnumerateArray().Single();
        merged.GetProperty("category").GetString().Should().Be("Public fear, alarm or distress");
        merged.GetProperty("names").EnumerateArray().Select(n => n.GetProperty("minorCategory").GetString())
            .Should().Equal("PUBLIC FEAR ALARM OR DISTRESS", "PUBLIC FEAR, ALARM OR DISTRESS");

        // Both boroughs' every month (48) is the file's own sum of their rows.
        foreach (var (code, area) in new[] { ("E09000020", KandC), ("E09000002", "Barking and Dagenham") })
        {
            var expected = file.Counts.Where(c => c.Key.Area == code).GroupBy(c => c.Key.Month).ToDictionary(g => g.Key, g => (long)g.Sum(c => c.Value));
            expected.Should().HaveCount(48);
            file.Counts.Where(c => c.Key.Area == code && c.Key.Minor == "PUBLIC FEAR, ALARM OR DISTRESS" && c.Value > 0).Should().NotBeEmpty();
            (await MonthlyAsync("total-notifiable-offences", area)).Should().Equal(expected, area);
        }
        var publicFear = file.Counts.Where(c => c.Key.Minor.StartsWith("PUBLIC FEAR", StringComparison.Ordinal)).Sum(c => c.Value);
        merged.GetProperty("names").EnumerateArray().Sum(n => n.GetProperty("total").GetInt64()).Should().Be(publicFear);
    }

    [Theory]
    // The 2023 rename in words: "BURGLARY IN A DWELLING" became "BURGLARY - RESIDENTIAL" (and "BURGLARY NON-DWELLING"
    // "BURGLARY BUSINESS AND COMMUNITY") within this release; each pair maps to one category and is added together.
    [InlineData("RealFiles/mps/borough-2022-07-to-2024-06.csv", "Burglary of business and community premises|Residential burglary")]
    // The 2023 split of residential burglary maps to two categories; one name per category otherwise.
    [InlineData("RealFiles/mps/borough-historical-2010-04-to-2023-11.csv", "")]
    [InlineData("RealFiles/mps/borough-2024-07-to-2026-06.csv", "")]
    public async Task Real_releases_report_exactly_the_categories_they_publish_under_two_names(string name, string categories)
    {
        var json = await ImportTests.ImportAsync(factory, RealFileTests.PathOf(name));
        json.GetProperty("report").GetProperty("namesAddedTogether").EnumerateArray().Select(n => n.GetProperty("category").GetString())
            .Should().Equal(categories.Split('|', StringSplitOptions.RemoveEmptyEntries));
    }

    public static TheoryData<string, string, string> Repeats => new()
    {
        // The same area and the same published names twice: refused, whatever else the file holds.
        { "wide, both spellings, the new one repeated", string.Join("\r\n", Header,
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,Kensington and Chelsea,40,41,17,0,0",
            "PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",Kensington and Chelsea,0,0,25,44,45",
            "PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",Kensington and Chelsea,0,0,25,44,45"), "line 4: This row repeats an earlier row" },
        // The area spelt another way is still the same area.
        { "wide, the area spelt another way", string.Join("\r\n", Header,
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,Kensington and Chelsea,40,41,17,0,0",
            "PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,KENSINGTON & CHELSEA,40,41,17,0,0"), "line 3: This row repeats an earlier row" },
        { "long, same names and month", string.Join("\r\n", "lsoa_code,borough,major_category,minor_category,value,year,month",
            "E01002840,Kensington and Chelsea,PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",3,2024,3",
            "E01002840,Kensington and Chelsea,PUBLIC ORDER OFFENCES,PUBLIC FEAR ALARM OR DISTRESS,3,2024,3",
            "E01002840,Kensington and Chelsea,PUBLIC ORDER OFFENCES,\"PUBLIC FEAR, ALARM OR DISTRESS\",3,2024,3"), "line 4: This row repeats an earlier row's area, category names, month 2024-03" },
    };

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task A_row_repeating_an_earlier_rows_area_and_published_names_is_still_refused(string why, string csv, string expected)
    {
        var (exit, _, stderr) = await factory.RunCliAsync("import", Write(csv));
        exit.Should().Be(2, why);
        stderr.Should().Contain(expected, why).And.Contain("Nothing was written");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(0, why);
        (await db.CrimeCounts.CountAsync()).Should().Be(0, why);
    }

    /// <summary>The stored monthly values of a measure for an area: what every dashboard reads.</summary>
    private async Task<Dictionary<int, long>> MonthlyAsync(string measure, string area)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var rows = await (from v in db.MeasureMonthValues
                          join m in db.Measures on v.MeasureId equals m.Id
                          join a in db.Areas on v.AreaId equals a.Id
                          where m.Code == measure && a.Name == area
                          select new { v.Month, v.Value }).ToListAsync();
        return rows.ToDictionary(r => r.Month.ToYyyyMm(), r => r.Value);
    }
}
