using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// Real police.uk files (RealFiles/policeuk: Kent, and the Metropolitan Police's burglary rows): each local authority's
/// counts by crime type and month equal the file's own, counted here by a plain reading of the CSV under the stated
/// rules (a repeated crime ID counts once, as its first row; rows without a location count for the force; rows in another
/// force's local authority count for the force's "(other forces' areas)"); and police.uk imports of the Met leave K&C's
/// MPS measures exactly as the MPS extract made them.
/// </summary>
public sealed class PoliceUkRealFileTests : IAsyncDisposable
{
    private readonly PortalFactory factory = new();

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static string Real(string relative) => Path.Combine(AppContext.BaseDirectory, "RealFiles", "policeuk", relative);

    /// <summary>The test's own list (docs/police-uk.md): outcomes that mean a charge or summons.</summary>
    private static readonly HashSet<string> Charged =
    [
        "Awaiting court outcome", "Defendant sent to Crown Court", "Suspect charged as part of another case", "Offender sent to prison",
        "Offender given suspended prison sentence", "Offender given community sentence", "Offender fined", "Offender given conditional discharge",
        "Offender given absolute discharge", "Offender ordered to pay compensation", "Offender deprived of property", "Offender otherwise dealt with",
        "Defendant found not guilty", "Court case unable to proceed", "Court result unavailable",
    ];

    /// <summary>(area, crime type, month) → (crimes, charged or summonsed), from the file itself.</summary>
    private static Dictionary<(string Area, string Type, string Month), (long Crimes, long Charged)> Expected(IEnumerable<string> files, Func<string, string> areaOfPrefix, string force)
    {
        var result = new Dictionary<(string, string, string), (long, long)>();
        var seen = new HashSet<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
            var header = ExtractFile.Split(lines[0]);
            int Col(string name) => header.IndexOf(name);
            foreach (var line in lines.Skip(1))
            {
                var cells = ExtractFile.Split(line);
                var id = cells[Col("Crime ID")];
                if (id.Length > 0 && !seen.Add(id)) continue;
                var name = cells[Col("LSOA name")];
                var area = cells[Col("LSOA code")].Length == 0 ? $"{force} (no location)" : areaOfPrefix(Regex.Replace(name, @" \d{3}[A-Z]$", ""));
                var key = (area, cells[Col("Crime type")], cells[Col("Month")]);
                var (crimes, charged) = result.GetValueOrDefault(key);
                result[key] = (crimes + 1, charged + (Charged.Contains(cells[Col("Last outcome category")]) ? 1 : 0));
            }
        }
        return result;
    }

    /// <summary>What the database holds for police.uk imports, in the same shape.</summary>
    private async Task<Dictionary<(string Area, string Type, string Month), (long Crimes, long Charged)>> StoredAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var rows = await (from c in db.CrimeCounts
                          join i in db.CrimeImports on c.ImportId equals i.Id
                          join a in db.Areas on c.AreaId equals a.Id
                          join al in db.CategoryAliases on c.AliasId equals al.Id
                          where i.Source == CrimeSources.PoliceUk && i.Status == ImportStatus.Applied
                          select new { Area = a.Name, al.MajorName, al.MinorName, c.Month, c.Count }).ToListAsync();
        var result = new Dictionary<(string, string, string), (long, long)>();
        foreach (var r in rows)
        {
            var key = (r.Area, r.MinorName, r.Month.ToString());
            var (crimes, charged) = result.GetValueOrDefault(key);
            result[key] = r.MajorName == "police.uk charged or summonsed" ? (crimes, charged + r.Count) : (crimes + r.Count, charged);
        }
        return result;
    }

    [Fact]
    public async Task Kent_each_local_authority_s_counts_by_crime_type_and_month_equal_the_file_s_own()
    {
        string[] files = [Real("kent/2022-01-kent-street.csv"), Real("kent/2022-11-kent-street.csv")];
        foreach (var f in files) await ImportTests.ImportAsync(factory, f);
        var expected = Expected(files, prefix => prefix == "Tunbridge Wells" ? prefix : "Kent Police (other forces' areas)", "Kent Police");
        expected.Keys.Select(k => k.Area).Distinct().Should().BeEquivalentTo("Tunbridge Wells", "Kent Police (no location)", "Kent Police (other forces' areas)");
        var stored = await StoredAsync();
        stored.Should().BeEquivalentTo(expected);
        expected.Where(e => e.Key.Area == "Tunbridge Wells").Sum(e => e.Value.Charged).Should().BeGreaterThan(0, "the files have court outcomes");

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var tunbridge = await db.Areas.SingleAsync(a => a.Name == "Tunbridge Wells");
        (tunbridge.Force, tunbridge.Kind, tunbridge.InLondonRanking).Should().Be(("Kent Police", AreaKind.Borough, false));
        // Bexley (Met) keeps no coverage from Kent's stray rows: Kent's files are not authoritative for it.
        var bexley = await db.Areas.SingleAsync(a => a.Name == "Bexley");
        (await db.ImportCoverages.CountAsync(c => c.AreaId == bexley.Id)).Should().Be(0);
        var report = ImportReport.FromJson((await db.CrimeImports.OrderBy(i => i.Id).LastAsync()).ReportJson)!;
        report.PoliceUk!.DuplicateRows.Should().Be(1, "2022-11 repeats one crime ID");
        report.PoliceUk.OtherForcesAreas.Should().Contain(o => o.LocalAuthority == "Bexley" && o.LocalAuthorityForce == "Metropolitan Police Service");
    }

    [Fact]
    public async Task A_police_uk_import_of_the_Met_leaves_K_and_C_s_MPS_measures_unchanged_and_counts_its_own()
    {
        await ImportTests.ImportAsync(factory, Path.Combine(AppContext.BaseDirectory, "RealFiles", "mps", "borough-2021-03-to-2023-02.csv"));
        int kc, measureId;
        List<(string, string, long)> mpsBefore;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            kc = (await db.Areas.SingleAsync(a => a.Name == ImportTests.KandC)).Id;
            mpsBefore = await MpsValuesAsync(db, kc);
            mpsBefore.Should().Contain(v => v.Item1 == "total-notifiable-offences" && v.Item2 == "2022-01")
                .And.Contain(v => v.Item1 == "residential-burglary" && v.Item2 == "2022-02");
            // A measure over police.uk's burglary (as a partnership's plan would define one).
            var burglary = await db.CrimeCategories.SingleAsync(c => c.Code == "police-uk-burglary");
            var measure = new Measure { PlanId = await db.Plans.Select(p => p.Id).MinAsync(), Code = "police-uk-burglary", Name = "Burglary (police.uk)", Source = MeasureSource.CrimeExtract };
            db.Measures.Add(measure);
            await db.SaveChangesAsync();
            db.MeasureCategories.Add(new MeasureCategory { MeasureId = measure.Id, CategoryId = burglary.Id });
            await db.SaveChangesAsync();
            measureId = measure.Id;
        }

        string[] files = [Real("metropolitan/2022-01-metropolitan-street.csv"), Real("metropolitan/2022-02-metropolitan-street.csv")];
        var imports = new List<int>();
        foreach (var f in files) imports.Add((await ImportTests.ImportAsync(factory, f)).GetProperty("importId").GetInt32());

        var expected = Expected(files, prefix => prefix == ImportTests.KandC ? prefix : "Metropolitan Police Service (other forces' areas)", "Metropolitan Police Service");
        (await StoredAsync()).Should().BeEquivalentTo(expected);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            (await MpsValuesAsync(db, kc)).Should().Equal(mpsBefore, "police.uk imports are authoritative for police.uk measures only");
            var policeUk = await db.MeasureMonthValues.Where(v => v.MeasureId == measureId && v.AreaId == kc).OrderBy(v => v.Month).ToListAsync();
            policeUk.Select(v => (v.Month.ToString(), v.Value)).Should().Equal(
                ("2022-01", expected[(ImportTests.KandC, "Burglary", "2022-01")].Crimes),
                ("2022-02", expected[(ImportTests.KandC, "Burglary", "2022-02")].Crimes));
            var city = await db.Areas.SingleAsync(a => a.Name == "City of London");
            city.Force.Should().Be("City of London Police", "seeded; a Met file does not take the City");
            (await db.SmallAreas.CountAsync(s => s.AreaId == kc && s.Kind == SmallAreaKind.Lsoa)).Should().BeGreaterThan(50);

            // Rolling the police.uk import back touches police.uk measures only.
            var outcome = await scope.ServiceProvider.GetRequiredService<ImportHistory>().RollBackAsync(imports[1], "test");
            outcome.Done.Should().BeTrue(outcome.Message);
        }
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            (await MpsValuesAsync(db, kc)).Should().Equal(mpsBefore);
            (await db.MeasureMonthValues.Where(v => v.MeasureId == measureId && v.AreaId == kc).Select(v => v.Month).ToListAsync())
                .Should().Equal(new YearMonth(2022, 1));
        }
    }

    private static async Task<List<(string, string, long)>> MpsValuesAsync(KcCspDbContext db, int areaId) =>
        (await (from v in db.MeasureMonthValues
                join m in db.Measures on v.MeasureId equals m.Id
                where v.AreaId == areaId && !m.Code.StartsWith("police-uk")
                select new { m.Code, v.Month, v.Value }).ToListAsync())
        .Select(v => (v.Code, v.Month.ToString(), v.Value)).OrderBy(v => v.Code).ThenBy(v => v.Item2).ToList();
}
