using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Importing;

/// <summary>police.uk street-level files written here (the real ones are in <see cref="PoliceUkRealFileTests"/>): what is
/// counted where, and every refusal by line with nothing written.</summary>
public sealed class PoliceUkImportTests : IAsyncDisposable
{
    internal const string Header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
    private readonly PortalFactory factory = new();
    private readonly string folder = Directory.CreateTempSubdirectory("kccsp-policeuk-").FullName;

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static int idSeed;

    /// <summary>A row; the id is 64 hex digits as police.uk's are, or empty (ASB) when <paramref name="id"/> is "".</summary>
    internal static string Row(string month, string lsoa, string lsoaName, string type, string outcome, string force = "West Yorkshire Police", string? id = null)
    {
        id ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(Interlocked.Increment(ref idSeed))));
        var location = lsoa.Length == 0 ? ",,No Location" : "-1.54,53.79,On or near Park Row";
        return $"{id},{month},{force},{force},{location},{lsoa},{lsoaName},{type},{outcome},";
    }

    private string Write(string name, params string[] rows)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\r\n", rows.Prepend(Header)) + "\r\n");
        return path;
    }

    private async Task<(int Exit, string Err)> RefusedAsync(string path)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("import", path);
        exit.Should().Be(2, stdout);
        stderr.Should().Contain("Nothing was written.");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.CrimeImports.CountAsync()).Should().Be(0);
        (await db.Areas.CountAsync(a => a.Force == "West Yorkshire Police")).Should().Be(0, "nothing of a refused file is written");
        return (exit, stderr);
    }

    [Fact]
    public async Task A_file_is_counted_per_lsoa_crime_type_and_month_with_its_charges_and_rows_without_a_location_for_the_force()
    {
        var sameId = new string('a', 64);
        var path = Write("2022-01-west-yorkshire-street.csv",
            Row("2022-01", "E01011264", "Leeds 001A", "Burglary", "Awaiting court outcome"),
            Row("2022-01", "E01011264", "Leeds 001A", "Burglary", "Offender sent to prison"),
            Row("2022-01", "E01011264", "Leeds 001A", "Burglary", "Investigation complete; no suspect identified"),
            Row("2022-01", "E01011264", "Leeds 001A", "Burglary", "Offender given a caution"),
            Row("2022-01", "E01011265", "Leeds 001B", "Vehicle crime", "Court result unavailable", id: sameId),
            Row("2022-01", "E01011265", "Leeds 001B", "Vehicle crime", "Court result unavailable", id: sameId),
            Row("2022-01", "E01011265", "Leeds 001B", "Vehicle crime", "Under investigation", id: sameId),
            Row("2022-01", "E01011265", "Leeds 001B", "Anti-social behaviour", "", id: ""),
            Row("2022-01", "E01011265", "Leeds 001B", "Anti-social behaviour", "", id: ""),
            Row("2022-01", "E01010646", "Bradford 001A", "Shoplifting", "Suspect charged as part of another case"),
            Row("2022-01", "E01010646", "Bradford 001A", "Shoplifting", "A brand new outcome"),
            Row("2022-01", "", "", "Violence and sexual offences", "Unable to prosecute suspect"));
        var json = await ImportTests.ImportAsync(factory, path);
        var report = json.GetProperty("report");
        var police = report.GetProperty("policeUk");
        police.GetProperty("duplicateRows").GetInt32().Should().Be(2);
        var duplicates = police.GetProperty("duplicateCrimeIds").EnumerateArray().ToList();
        duplicates.Select(d => (d.GetProperty("line").GetInt64(), d.GetProperty("firstLine").GetInt64(), d.GetProperty("sameRow").GetBoolean()))
            .Should().Equal((7L, 6L, true), (8L, 6L, false));
        police.GetProperty("noLocation")[0].GetProperty("rows").GetInt64().Should().Be(1);
        police.GetProperty("noLocation")[0].GetProperty("area").GetString().Should().Be("West Yorkshire Police (no location)");
        police.GetProperty("unknownOutcomes")[0].GetProperty("outcome").GetString().Should().Be("A brand new outcome");
        var authorities = police.GetProperty("localAuthorities").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a);
        authorities.Keys.Should().BeEquivalentTo("Bradford", "Leeds");
        authorities["Leeds"].GetProperty("assignedBy").GetString().Should().Be("LSOA name");
        authorities["Leeds"].GetProperty("rows").GetInt64().Should().Be(7, "the two repeats are not counted");
        report.GetProperty("newAreas").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo("Leeds", "Bradford", "West Yorkshire Police (no location)");

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var import = await db.CrimeImports.SingleAsync();
        import.Source.Should().Be(CrimeSources.PoliceUk);
        var counts = await (from c in db.CrimeCounts
                            join a in db.Areas on c.AreaId equals a.Id
                            join al in db.CategoryAliases on c.AliasId equals al.Id
                            join cat in db.CrimeCategories on al.CategoryId equals cat.Id
                            select new { Area = a.Name, c.SmallAreaCode, cat.Code, c.Month, c.Count }).ToListAsync();
        counts.Select(c => (c.Area, c.SmallAreaCode, c.Code, c.Month.ToString(), c.Count)).Should().BeEquivalentTo(new[]
        {
            ("Leeds", "E01011264", "police-uk-burglary", "2022-01", 4),
            ("Leeds", "E01011264", "police-uk-burglary-charged", "2022-01", 2),
            ("Leeds", "E01011265", "police-uk-vehicle-crime", "2022-01", 1),
            ("Leeds", "E01011265", "police-uk-vehicle-crime-charged", "2022-01", 1),
            ("Leeds", "E01011265", "police-uk-anti-social-behaviour", "2022-01", 2),
            ("Bradford", "E01010646", "police-uk-shoplifting", "2022-01", 2),
            ("Bradford", "E01010646", "police-uk-shoplifting-charged", "2022-01", 1),
            ("West Yorkshire Police (no location)", (string?)null, "police-uk-violence-and-sexual-offences", "2022-01", 1),
        });
        var leeds = await db.Areas.SingleAsync(a => a.Name == "Leeds");
        (leeds.Kind, leeds.InLondonRanking, leeds.Force, leeds.Code).Should().Be((AreaKind.Borough, false, "West Yorkshire Police", (string?)null));
        (await db.SmallAreas.Where(s => s.AreaId == leeds.Id).Select(s => s.Code).ToListAsync()).Should().BeEquivalentTo("E01011264", "E01011265");
        (await db.ImportCoverages.CountAsync()).Should().Be(3, "Leeds, Bradford and the force's pseudo-area, one month");
        // police.uk categories are never part of total notifiable offences ("*" is every MPS category).
        var tno = await db.Measures.SingleAsync(m => m.Code == "total-notifiable-offences");
        (await db.MeasureCategories.CountAsync(mc => mc.MeasureId == tno.Id && mc.Category!.Taxonomy == CrimeSources.PoliceUk)).Should().Be(0);
        (await db.MeasureMonthValues.CountAsync()).Should().Be(0, "no measure of the K&C plan counts police.uk categories");
    }

    [Fact]
    public async Task An_ons_lookup_places_lsoas_by_code_and_the_report_says_so_per_local_authority()
    {
        var lookup = Path.Combine(folder, "lsoa-lookup.csv");
        File.WriteAllText(lookup, "FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n1,E01011264,Leeds 001A,E05001420,Adel and Wharfedale,E08000035,Leeds\n");
        var (exit, stdout, stderr) = await factory.RunCliAsync("import-lsoa-lookup", lookup);
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("1 LSOAs added");
        var path = Write("2022-02-west-yorkshire-street.csv",
            Row("2022-02", "E01011264", "Leeds 001A", "Robbery", "Under investigation"),
            Row("2022-02", "E01011266", "Leeds 001C", "Robbery", "Under investigation"));
        var json = await ImportTests.ImportAsync(factory, path);
        var leeds = json.GetProperty("report").GetProperty("policeUk").GetProperty("localAuthorities").EnumerateArray().Single();
        leeds.GetProperty("assignedBy").GetString().Should().Be("LSOA name and ONS lookup");
        leeds.GetProperty("code").GetString().Should().Be("E08000035");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.Areas.SingleAsync(a => a.Name == "Leeds")).Code.Should().Be("E08000035");

        var bad = Path.Combine(folder, "bad-lookup.csv");
        File.WriteAllText(bad, "LSOA11CD,LAD19CD,LAD19NM\nE01011264,E08000035,Leeds\nE0101126,E08000035,Leeds\n");
        var (exit2, _, stderr2) = await factory.RunCliAsync("import-lsoa-lookup", bad);
        exit2.Should().Be(2);
        stderr2.Should().Contain("line 3, column 1 (LSOA11CD)").And.Contain("Nothing was written");
    }

    [Fact]
    public async Task Every_problem_is_refused_by_line_and_column_and_nothing_is_written()
    {
        var path = Write("2022-03-west-yorkshire-street.csv",
            Row("2022-03", "E01011264", "Leeds 001A", "Burglary", "Under investigation"),
            Row("2022-04", "E01011264", "Leeds 001A", "Burglary", "Under investigation"),
            Row("2022-03", "E01011264", "Leeds 001A", "Burglary of sheds", "Under investigation"),
            Row("2022-03", "E0101126", "Leeds 001A", "Burglary", "Under investigation"),
            "x,2022-03,West Yorkshire Police");
        var (_, stderr) = await RefusedAsync(path);
        stderr.Should().Contain("4 problems found")
            .And.Contain("line 3, column 2 (Month): The month 2022-04 is outside the file's month, 2022-03 (from its name 2022-03-west-yorkshire-street.csv)")
            .And.Contain("line 4, column 10 (Crime type): 'Burglary of sheds' is not one of police.uk's crime types")
            .And.Contain("line 5, column 8 (LSOA code): 'E0101126' is not an LSOA code")
            .And.Contain("line 6: The row has 3 values; the header has 12.");
    }

    [Fact]
    public async Task A_zip_whose_files_are_not_police_uk_or_not_its_month_is_refused()
    {
        var zip = Path.Combine(folder, "2022-05.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using (var w = new StreamWriter(archive.CreateEntry("2022-05/2022-05-west-yorkshire-street.csv").Open()))
                w.Write("Borough,Major Category,Minor Category,202205\r\nLeeds,Burglary,Burglary,4\r\n");
            using (var w = new StreamWriter(archive.CreateEntry("2022-05/2022-06-north-yorkshire-street.csv").Open()))
                w.Write(Header + "\r\n" + Row("2022-06", "E01011264", "Leeds 001A", "Burglary", "") + "\r\n");
            using (var w = new StreamWriter(archive.CreateEntry("2022-05/2022-05-west-yorkshire-outcomes.csv").Open()))
                w.Write("Crime ID,Month\r\n");
        }
        var (_, stderr) = await RefusedAsync(zip);
        stderr.Should().Contain("(2022-05/2022-05-west-yorkshire-street.csv) This is not a police.uk street-level file: its header lacks 'Crime ID'")
            .And.Contain("2022-06-north-yorkshire-street.csv is the file of 2022-06, outside the month of 2022-05.zip (2022-05)");
    }

    [Fact]
    public async Task A_zip_uploaded_on_the_imports_page_is_imported_and_a_bad_one_answers_400()
    {
        var zip = Path.Combine(folder, "upload.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var w = new StreamWriter(archive.CreateEntry("2022-07-west-yorkshire-street.csv").Open()))
            w.Write(Header + "\r\n" + Row("2022-07", "E01011264", "Leeds 001A", "Drugs", "Offender fined") + "\r\n");
        var client = await factory.SignedInClientAsync("Analyst");
        var page = await client.GetStringAsync("/imports");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        MultipartFormDataContent Form(string name, byte[] bytes)
        {
            var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(file, "file", name);
            return form;
        }
        var response = await client.PostAsync("/imports", Form("2022-07.zip", await File.ReadAllBytesAsync(zip)));
        response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.SeeOther);
        // The import's page says where the rows went and how each local authority was placed (no lookup loaded: by name).
        var landed = response.RequestMessage!.RequestUri!.AbsolutePath;
        landed.Should().MatchRegex(@"^/imports/\d+$", "the upload lands on the import's page");
        var details = await client.GetStringAsync(landed);
        details.Should().Contain("data-police-uk").And.MatchRegex(@"data-local-authority=""Leeds""[\s\S]*?<td data-assigned-by>LSOA name</td>")
            .And.Contain("Drugs");
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            (await db.CrimeImports.SingleAsync()).Source.Should().Be(CrimeSources.PoliceUk);
        }
        var bad = await client.PostAsync("/imports", Form("2022-08-west-yorkshire-street.csv",
            Encoding.UTF8.GetBytes(Header + "\r\n" + Row("2022-08", "E01011264", "Leeds 001A", "Arson", "") + "\r\n")));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("&#x27;Arson&#x27; is not one of police.uk").And.Contain("data-validation-report");
    }
}
