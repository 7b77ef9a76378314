using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Importing;

/// <summary>The acceptance points of the crime-extract importer, on the real MPS files.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private const string Historic = "mps/mps-borough-level-crime-historic-2008-2016.csv";
    private const string Newer = "mps/mps-borough-level-crime-2010-04-to-2022-02.csv";
    internal const string KandC = "Kensington and Chelsea";
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    internal static async Task<JsonElement> ImportAsync(PortalFactory factory, string path, string expectedOutcome = "imported")
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("import", path, "--json");
        exit.Should().Be(0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement.Clone();
        json.GetProperty("outcome").GetString().Should().Be(expectedOutcome, stdout);
        return json;
    }

    internal static async Task<JsonElement> MeasureAsync(PortalFactory factory, string code, string year = "2009/10", int toMonth = 1, string area = KandC)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", code, "--area", area, "--year", year, "--to-month", toMonth.ToString(), "--json");
        exit.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public async Task Importing_the_historic_file_stores_every_count_of_it()
    {
        var path = TestEnvironment.DataFile(Historic);
        var file = ExtractFile.ReadWide(path);

        var json = await ImportAsync(factory, path);
        var importId = json.GetProperty("importId").GetInt32();

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var stored = await (from c in db.CrimeCounts
                            join a in db.Areas on c.AreaId equals a.Id
                            join al in db.CategoryAliases on c.AliasId equals al.Id
                            where c.ImportId == importId
                            select new { Area = a.Name, al.MajorName, al.MinorName, c.Month, c.Count }).ToListAsync();
        var expected = file.Counts.Where(c => c.Value != 0).ToDictionary(c => c.Key, c => c.Value);
        stored.Should().HaveCount(expected.Count, "every non-zero count of the file is stored once, and nothing else");
        var actual = stored.ToDictionary(s => (s.Area, s.MajorName, s.MinorName, s.Month.ToYyyyMm()), s => s.Count);
        actual.Should().BeEquivalentTo(expected);

        // Every (area, month) of the file is covered, zeros included.
        var coverage = await db.ImportCoverages.CountAsync(c => c.ImportId == importId);
        coverage.Should().Be(32 * 108);
        json.GetProperty("report").GetProperty("unmappedCategories").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Kensington_and_Chelsea_measures_for_2009_10_match_the_file()
    {
        var path = TestEnvironment.DataFile(Historic);
        var file = ExtractFile.ReadWide(path);
        await ImportAsync(factory, path);

        string[] sac = ["Burglary in a Dwelling", "Theft From Motor Vehicle", "Theft/Taking Of Motor Vehicle", "Personal Property", "Business Property"];
        var expectations = new (string Code, Func<string, string, bool> Category)[]
        {
            ("serious-acquisitive-crime", (_, minor) => sac.Contains(minor)),
            ("residential-burglary", (_, minor) => minor == "Burglary in a Dwelling"),
            ("theft-from-motor-vehicle", (_, minor) => minor == "Theft From Motor Vehicle"),
            ("theft-taking-of-motor-vehicle", (_, minor) => minor == "Theft/Taking Of Motor Vehicle"),
            ("personal-robbery", (major, minor) => major == "Robbery" && minor == "Personal Property"),
            ("business-robbery", (major, minor) => major == "Robbery" && minor == "Business Property"),
            ("robbery", (major, _) => major == "Robbery"),
            ("drugs-offences", (major, _) => major == "Drugs"),
            ("most-serious-violence", (_, minor) => minor is "Murder" or "Wounding/GBH" or "Grievous Bodily Harm"),
            ("total-notifiable-offences", (_, _) => true),
        };
        foreach (var (code, category) in expectations)
        {
            var json = await MeasureAsync(factory, code);
            json.GetProperty("source").GetString().Should().Be("imported", code);
            json.GetProperty("value").GetDecimal().Should().Be(file.Sum(KandC, category, 200904, 201001), code);
            json.GetProperty("previous").GetDecimal().Should().Be(file.Sum(KandC, category, 200804, 200901), code);
        }

        // The plan's published figures travel alongside the imported ones.
        var sacJson = await MeasureAsync(factory, "serious-acquisitive-crime");
        var published = sacJson.GetProperty("published");
        published.GetProperty("value").GetDecimal().Should().Be(3374);
        published.GetProperty("previous").GetDecimal().Should().Be(3582);
        published.GetProperty("londonRank").GetString().Should().Be("9th lowest");

        // The dashboards now open on the latest imported month, and the picker brings back the plan's period,
        // recomputed from the file.
        var board = await factory.SignedInClientAsync("Board");
        var home = await board.GetStringAsync("/");
        home.Should().Contain("April 2016 – December 2016 against April 2015 – December 2015");
        home.Should().Contain("<option value=\"2009/10\">2009/10</option>");
        var page = await board.GetStringAsync("/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1");
        var cells = PlanPagesTests.Cells(PlanPagesTests.Row(page, "serious-acquisitive-crime"));
        cells[0].Should().Be(file.Sum(KandC, (_, minor) => sac.Contains(minor), 200804, 200901).ToString("#,0"));
        cells[1].Should().Be(file.Sum(KandC, (_, minor) => sac.Contains(minor), 200904, 201001).ToString("#,0"));
        cells[^1].Should().Be("imported");
        System.Net.WebUtility.HtmlDecode(PlanPagesTests.Row(page, "serious-acquisitive-crime")).Should().Contain("Plan as published: 3,582 → 3,374 (-5.8%), 9th lowest, met");
    }

    [Fact]
    public async Task The_newer_file_replaces_the_older_one_for_every_borough_month_they_share()
    {
        var historic = ExtractFile.ReadWide(TestEnvironment.DataFile(Historic));
        var newer = ExtractFile.ReadWide(TestEnvironment.DataFile(Newer));
        await ImportAsync(factory, TestEnvironment.DataFile(Historic));
        var second = await ImportAsync(factory, TestEnvironment.DataFile(Newer));
        second.GetProperty("report").GetProperty("revisionCount").GetInt32().Should().BeGreaterThan(0);
        second.GetProperty("report").GetProperty("replacedImports").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(1);

        var newerTotals = newer.Counts.GroupBy(c => (c.Key.Area, c.Key.Month)).ToDictionary(g => g.Key, g => g.Sum(c => (long)c.Value));
        var shared = historic.Counts.Keys.Select(k => (k.Area, k.Month)).Distinct().Where(newerTotals.ContainsKey).ToList();
        shared.Should().HaveCount(32 * (12 * 6 + 9), "the files share April 2010 to December 2016 for the 32 boroughs");

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var tno = await db.Measures.SingleAsync(m => m.Code == "total-notifiable-offences");
        var stored = await (from v in db.MeasureMonthValues
                            join a in db.Areas on v.AreaId equals a.Id
                            where v.MeasureId == tno.Id
                            select new { a.Name, v.Month, v.Value }).ToListAsync();
        var byKey = stored.ToDictionary(s => (s.Name, s.Month.ToYyyyMm()), s => s.Value);
        foreach (var key in shared) byKey[key].Should().Be(newerTotals[key], $"{key.Area} {key.Month}");

        // Months only the older file has keep its figures.
        byKey[(KandC, 200905)].Should().Be(historic.Counts.Where(c => c.Key.Area == KandC && c.Key.Month == 200905).Sum(c => (long)c.Value));
    }

    [Fact]
    public async Task The_same_file_twice_is_a_no_op_that_says_so()
    {
        var path = TestEnvironment.DataFile(Historic);
        var first = await ImportAsync(factory, path);
        var (exit, stdout, _) = await factory.RunCliAsync("import", path);
        exit.Should().Be(0);
        stdout.Should().Contain("identical").And.Contain($"import #{first.GetProperty("importId").GetInt32()}");
        var again = await ImportAsync(factory, path, "already-imported");
        again.GetProperty("importId").GetInt32().Should().Be(first.GetProperty("importId").GetInt32());

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task One_edited_count_is_one_revision_and_rolling_back_restores_the_previous_figures()
    {
        var path = TestEnvironment.DataFile(Historic);
        var before = await ImportAsync(factory, path);
        var sacBefore = (await MeasureAsync(factory, "serious-acquisitive-crime")).GetProperty("value").GetDecimal();

        // The same release with one count restated: K&C residential burglary, May 2009, five more.
        var lines = File.ReadAllLines(path);
        var header = ExtractFile.Split(lines[0].TrimStart('\uFEFF'));
        var column = header.IndexOf("200905");
        var row = Array.FindIndex(lines, l => l.StartsWith("Kensington and Chelsea,Burglary,Burglary in a Dwelling,"));
        var cells = lines[row].Split(',');
        var old = int.Parse(cells[column]);
        cells[column] = (old + 5).ToString();
        lines[row] = string.Join(',', cells);
        var edited = Path.Combine(factory.WorkDirectory, "restated.csv");
        await File.WriteAllTextAsync(edited, string.Join("\r\n", lines) + "\r\n");

        var after = await ImportAsync(factory, edited);
        var report = after.GetProperty("report");
        report.GetProperty("revisionCount").GetInt32().Should().Be(1);
        var revision = report.GetProperty("revisions")[0];
        revision.GetProperty("area").GetString().Should().Be(KandC);
        revision.GetProperty("month").GetString().Should().Be("2009-05");
        var changes = revision.GetProperty("changes").EnumerateArray()
            .ToDictionary(c => c.GetProperty("measure").GetString()!, c => (c.GetProperty("from").GetInt64(), c.GetProperty("to").GetInt64()));
        changes.Keys.Should().BeEquivalentTo("residential-burglary", "serious-acquisitive-crime", "total-notifiable-offences");
        changes["residential-burglary"].Should().Be((old, old + 5));
        (await MeasureAsync(factory, "serious-acquisitive-crime")).GetProperty("value").GetDecimal().Should().Be(sacBefore + 5);

        using (var scope = factory.Services.CreateScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<ImportHistory>().RollBackAsync(after.GetProperty("importId").GetInt32(), "test");
            outcome.Done.Should().BeTrue(outcome.Message);
            outcome.RevisionCount.Should().Be(1);
        }
        (await MeasureAsync(factory, "serious-acquisitive-crime")).GetProperty("value").GetDecimal().Should().Be(sacBefore);
        var sourceNote = (await MeasureAsync(factory, "serious-acquisitive-crime")).GetProperty("sourceNote").GetString();
        sourceNote.Should().Contain($"#{before.GetProperty("importId").GetInt32()} ");

        // Both imports and the rollback are in the audit trail, with before and after.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var entries = await db.AuditEntries.Where(e => e.Entity == "CrimeImport").OrderBy(e => e.Id).ToListAsync();
            entries.Select(e => e.Action).Should().Equal("imported", "imported", "rolled back");
            entries[0].Before.Should().BeNull("the first import revised nothing");
            entries[1].Key.Should().Be(after.GetProperty("importId").GetInt32().ToString());
            entries[1].Before.Should().Contain("\"area\":\"Kensington and Chelsea\"").And.Contain("\"month\":\"2009-05\"").And.Contain($"\"from\":{old}");
            entries[1].After.Should().Contain("restated.csv").And.Contain($"\"to\":{old + 5}");
            entries[2].User.Should().Be("test");
            entries[2].Before.Should().Contain("Applied");
            entries[2].After.Should().Contain("RolledBack");
        }
    }

    [Fact]
    public async Task An_unknown_category_is_listed_then_counted_once_mapped()
    {
        var path = Path.Combine(factory.WorkDirectory, "with-new-category.csv");
        await File.WriteAllTextAsync(path,
            "\uFEFFMajorText,MinorText,LookUp_BoroughName,200904,200905\r\n" +
            "Drug Offences,Possession of Drugs,Kensington & Chelsea,10,20\r\n" +
            "Drug Offences,Cannabis Warning (new),Kensington & Chelsea,3,4\r\n" +
            "Drug Offences,Possession of Drugs,Westminster,1,1\r\n");

        var json = await ImportAsync(factory, path);
        var unmapped = json.GetProperty("report").GetProperty("unmappedCategories");
        unmapped.GetArrayLength().Should().Be(1);
        unmapped[0].GetProperty("minorCategory").GetString().Should().Be("Cannabis Warning (new)");
        unmapped[0].GetProperty("total").GetInt64().Should().Be(7);
        var aliasId = unmapped[0].GetProperty("aliasId").GetInt32();

        var home = await (await factory.SignedInClientAsync("Board")).GetStringAsync("/");
        home.Should().Contain("Cannabis Warning (new)", "the dashboard banner lists unmapped categories");

        (await MeasureAsync(factory, "drugs-offences", toMonth: 5, year: "2009/10")).GetProperty("value").GetDecimal().Should().Be(30);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var possession = await db.CrimeCategories.SingleAsync(c => c.Code == "possession-of-drugs");
            var (revisions, _) = await scope.ServiceProvider.GetRequiredService<CategoryMapping>().MapAsync(aliasId, possession.Id, "test");
            revisions.Should().Be(2, "April and May in Kensington and Chelsea change");
        }
        (await MeasureAsync(factory, "drugs-offences", toMonth: 5, year: "2009/10")).GetProperty("value").GetDecimal().Should().Be(37);
        using (var scope = factory.Services.CreateScope())
        {
            var mapped = await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().AuditEntries.SingleAsync(e => e.Entity == "CategoryAlias");
            mapped.Action.Should().Be("mapped");
            mapped.Key.Should().Be(aliasId.ToString());
            mapped.Before.Should().Contain("\"minorName\":\"Cannabis Warning (new)\"").And.Contain("\"category\":null");
            mapped.After.Should().Contain("\"category\":\"possession-of-drugs\"");
        }
        home = await (await factory.SignedInClientAsync("Board")).GetStringAsync("/");
        home.Should().NotContain("Cannabis Warning (new)");
    }

    [Fact]
    public async Task A_bad_file_exits_2_with_every_problem_located_and_writes_nothing()
    {
        var path = Path.Combine(factory.WorkDirectory, "bad.csv");
        await File.WriteAllTextAsync(path,
            "Borough,Major Category,Minor Category,200904,200905\n" +
            "Kensington and Chelsea,Burglary,Burglary in a Dwelling,10,x\n" +
            ",Burglary,Burglary in a Dwelling,1,2\n" +
            "Westminster,Burglary,Burglary in a Dwelling,-3,2\n");

        var (exit, stdout, stderr) = await factory.RunCliAsync("import", path);
        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("3 problems")
            .And.Contain("line 2, column 5 (200905): 'x' is not a count")
            .And.Contain("line 3, column 1 (Borough): The area name is empty")
            .And.Contain("line 4, column 4 (200904): '-3' is negative");

        var (exit2, _, stderr2) = await factory.RunCliAsync("import", Path.Combine(factory.WorkDirectory, "bad.csv"), "--json");
        exit2.Should().Be(2, stderr2);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(0);
        (await db.CrimeCounts.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_header_that_is_not_an_extract_is_refused()
    {
        var path = Path.Combine(factory.WorkDirectory, "not-an-extract.csv");
        await File.WriteAllTextAsync(path, "Name,Value\nx,1\n");
        var (exit, _, stderr) = await factory.RunCliAsync("import", path);
        exit.Should().Be(2);
        stderr.Should().Contain("line 1").And.Contain("It has no area column");
    }

    [Theory]
    [InlineData("GROUP,SUBGROUP,BOCU,200904\r\nBURGLARY,RES BURGLARY OF A HOME,KENSINGTON AND CHELSEA,7\r\n")]
    [InlineData("\uFEFFWardCode,WardName,Borough,Major Category,Minor Category,200904\nE05009388,Abingdon,Kensington and Chelsea,Burglary,Burglary - Residential,3\nE05009389,Brompton,Kensington and Chelsea,Burglary,Burglary - Residential,4\n")]
    [InlineData("lsoa_code,borough,major_category,minor_category,value,year,month\r\nE01002815,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2009,4\r\nE01002816,Kensington and Chelsea,Burglary,Burglary in a Dwelling,2,2009,4\r\n")]
    [InlineData("MajorText,MinorText,LookUp_BoroughName,200904\r\nBurglary,Domestic Burglary,Kensington and Chelsea,7\r\n")]
    [InlineData("MajorText,MinorText,BoroughName,200904\r\nBurglary,Domestic Burglary,KENSINGTON AND CHELSEA,7\r\nBurglary,Domestic Burglary,Westminster,2\r\nBurglary,Domestic Burglary,Unknown,1\r\n", "Unknown")]
    [InlineData("Borough,Major Category,Minor Category,200904\nKensington and Chelsea,Burglary,Burglary in a Dwelling,7\n")]
    [InlineData("LSOA Code,LSOA Name,Borough,Major Category,Minor Category,200904\r\nE01002815,K&C 001A,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5\r\nE01002816,K&C 001B,Kensington and Chelsea,Burglary,Burglary in a Dwelling,2\r\n")]
    [InlineData("Ward Code,WardName,Borough,Major Category,Minor Category,200904\r\nE05009388,Abingdon,Kensington and Chelsea,Burglary,Burglary in a Dwelling,6\r\nE05009389,Brompton,Kensington and Chelsea,Burglary,Burglary in a Dwelling,1\r\n")]
    [InlineData("lsoa code,borough,major_category,minor_category,value,year,month\r\nE01002815,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2009,4\r\nE01002815,Kensington and Chelsea,Burglary,Burglary in a Dwelling,2,2009,5\r\nE01002816,Kensington and Chelsea,Burglary,Burglary in a Dwelling,2,2009,4\r\n")]
    public async Task Every_layout_is_read(string content, string? newArea = null)
    {
        var path = Path.Combine(factory.WorkDirectory, "layout.csv");
        await File.WriteAllTextAsync(path, content);
        var json = await ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("unmappedCategories").GetArrayLength().Should().Be(0);
        json.GetProperty("report").GetProperty("newAreas").EnumerateArray().Select(a => a.GetString()).Should().Equal(newArea is null ? [] : [newArea]);
        (await MeasureAsync(factory, "residential-burglary", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(7);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("windows-1252")]
    [InlineData("utf-8-bom")]
    public async Task Utf16_and_latin1_files_are_read_as_written(string encodingName)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var text = "Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Burglary,Burglary in a Dwelling,7\r\n"
            + "Kensington and Chelsea,Burglary,Cambriolage – café,1\r\n";
        var encoding = encodingName == "utf-8-bom" ? new System.Text.UTF8Encoding(true) : System.Text.Encoding.GetEncoding(encodingName);
        var path = Path.Combine(factory.WorkDirectory, "encoded.csv");
        await File.WriteAllBytesAsync(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
        var json = await ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("unmappedCategories")[0].GetProperty("minorCategory").GetString().Should().Be("Cambriolage – café");
        (await MeasureAsync(factory, "residential-burglary", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(7);
    }

    [Fact]
    public async Task A_small_area_file_keeps_every_non_zero_row_with_its_code_and_skips_the_zeros()
    {
        // 130 non-zero rows (the SQLite writer inserts them in groups: two full ones and a short last one), zeros between.
        var path = Path.Combine(factory.WorkDirectory, "lsoa.csv");
        var lines = new List<string> { "lsoa_code,borough,major_category,minor_category,value,year,month" };
        for (var i = 0; i < 260; i++)
            lines.Add($"E0100{i:D4},Kensington and Chelsea,Burglary,Burglary in a Dwelling,{(i % 2 == 0 ? i / 2 + 1 : 0)},2009,4");
        await File.WriteAllLinesAsync(path, lines);
        var json = await ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("countsStored").GetInt64().Should().Be(130);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var counts = await db.CrimeCounts.AsNoTracking().OrderBy(c => c.SmallAreaCode).ToListAsync();
        counts.Should().HaveCount(130);
        counts.Select(c => c.SmallAreaCode).Should().Equal(Enumerable.Range(0, 130).Select(k => $"E0100{2 * k:D4}"));
        counts.Select(c => c.Count).Should().Equal(Enumerable.Range(1, 130));
        (await MeasureAsync(factory, "residential-burglary", toMonth: 4)).GetProperty("value").GetDecimal().Should().Be(130 * 131 / 2);
    }

    [Fact]
    public async Task An_excel_workbook_is_read_from_its_first_worksheet()
    {
        var path = Path.Combine(factory.WorkDirectory, "extract.xlsx");
        using (var workbook = new ClosedXML.Excel.XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Data");
            sheet.Cell(1, 1).Value = "Borough"; sheet.Cell(1, 2).Value = "Major Category"; sheet.Cell(1, 3).Value = "Minor Category";
            sheet.Cell(1, 4).Value = 200904; sheet.Cell(1, 5).Value = 200905;
            sheet.Cell(2, 1).Value = "Kensington & Chelsea"; sheet.Cell(2, 2).Value = "Robbery"; sheet.Cell(2, 3).Value = "Personal Property";
            sheet.Cell(2, 4).Value = 11; sheet.Cell(2, 5).Value = 12;
            sheet.Cell(3, 1).Value = "London Heathrow and London City Airports"; sheet.Cell(3, 2).Value = "Robbery"; sheet.Cell(3, 3).Value = "Personal Property";
            sheet.Cell(3, 4).Value = 1; sheet.Cell(3, 5).Value = 0;
            workbook.AddWorksheet("Notes").Cell(1, 1).Value = "ignored";
            workbook.SaveAs(path);
        }
        var json = await ImportAsync(factory, path);
        json.GetProperty("report").GetProperty("layout").GetString().Should().StartWith("wide");
        (await MeasureAsync(factory, "personal-robbery", toMonth: 5)).GetProperty("value").GetDecimal().Should().Be(23);
    }

    [Fact]
    public async Task With_populations_the_london_rank_is_computed_from_all_32_boroughs()
    {
        var historicPath = TestEnvironment.DataFile(Historic);
        var file = ExtractFile.ReadWide(historicPath);
        await ImportAsync(factory, historicPath);
        var (exit, stdout, stderr) = await factory.RunCliAsync("import-population", TestEnvironment.DataFile("population/london-borough-population-density-1999-2050.csv"));
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("33 boroughs");

        // The rank the test computes itself: drugs offences per 1,000 residents (2009 mid-year estimates), April-January.
        var populations = File.ReadLines(TestEnvironment.DataFile("population/london-borough-population-density-1999-2050.csv")).Skip(1)
            .Select(ExtractFile.Split).Where(c => c[0].StartsWith("E09") && c[0] != "E09000001" && c[2] == "2009")
            .ToDictionary(c => c[1], c => decimal.Parse(c[4]));
        var rates = populations.ToDictionary(p => p.Key, p => file.Sum(p.Key, (major, _) => major == "Drugs", 200904, 201001) / p.Value * 1000);
        rates.Should().HaveCount(32);
        var fromLowest = rates.Values.Count(r => r < rates[KandC]) + 1;
        var expected = new KcCsp.Domain.LondonRank(fromLowest, 32).Phrase;

        var drugs = await MeasureAsync(factory, "drugs-offences");
        drugs.GetProperty("londonRankSource").GetString().Should().Be("computed");
        drugs.GetProperty("londonRank").GetString().Should().Be(expected);
        drugs.GetProperty("published").GetProperty("londonRank").GetString().Should().Be("6th highest");

        var rate = await MeasureAsync(factory, "serious-acquisitive-crime-rate");
        rate.GetProperty("source").GetString().Should().Be("imported");
    }

    [Fact]
    public async Task A_population_file_with_problems_is_refused_whole()
    {
        var path = Path.Combine(factory.WorkDirectory, "population.csv");
        await File.WriteAllTextAsync(path, "Code,Name,Year,Source,Population\r\nE09000020,Kensington and Chelsea,2009,ONS MYE,many\r\nE12000007,London,2009,ONS MYE,7000000\r\n");
        var (exit, _, stderr) = await factory.RunCliAsync("import-population", path);
        exit.Should().Be(2);
        stderr.Should().Contain("line 2, column 5 (Population): 'many' is not a population");
    }
}
