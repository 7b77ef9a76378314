using System.Text.Json;
using KcCsp.Domain;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// Real MPS releases of every taxonomy era (RealFiles/mps, and the two in ../shared/data): each imports with every
/// category name recognised, Kensington and Chelsea's total notifiable offences for the file's latest like-for-like span
/// is the file's own sum, and serious acquisitive crime is the sum of its five parts as the file prints them.
/// </summary>
public sealed class RealFileTests
{
    private const string KandC = "Kensington and Chelsea";

    /// <summary>The serious acquisitive crime lines as each era prints them (read independently of the seed).</summary>
    private static readonly HashSet<string> SacMinors = new(StringComparer.Ordinal)
    {
        "Burglary in a Dwelling", "Burglary - Residential", "Domestic Burglary", "BURGLARY IN A DWELLING", "BURGLARY - RESIDENTIAL", "DOMESTIC BURGLARY",
        "RES BURGLARY OF A HOME", "RES BURGLARY OF UNCONNECTED BUILDING",
        "Theft From Motor Vehicle", "Theft From M/V", "Theft from a Motor Vehicle", "THEFT FROM A VEHICLE",
        "Theft/Taking Of Motor Vehicle", "Theft/Taking of M/V", "Theft or Taking of a Motor Vehicle", "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
        "Robbery of Personal Property", "ROBBERY OF PERSONAL PROPERTY", "Robbery of Business Property", "ROBBERY OF BUSINESS PROPERTY",
    };

    private static bool IsSac(string major, string minor) =>
        SacMinors.Contains(minor) || (major == "Robbery" && minor is "Personal Property" or "Business Property");

    public static TheoryData<string> Files => new()
    {
        "RealFiles/mps/borough-2017-01-to-2018-12.csv",
        "RealFiles/mps/borough-2018-07-to-2020-06.csv",
        "RealFiles/mps/borough-2021-03-to-2023-02.csv",
        "RealFiles/mps/borough-historical-2010-04-to-2023-11.csv",
        "RealFiles/mps/borough-2022-07-to-2024-06.csv",
        "RealFiles/mps/borough-2023-12-to-2025-11.csv",
        "RealFiles/mps/borough-2024-07-to-2026-06.csv",
        "shared:mps/mps-borough-level-crime-historic-2008-2016.csv",
        "shared:mps/mps-borough-level-crime-2010-04-to-2022-02.csv",
    };

    internal static string PathOf(string file) =>
        file.StartsWith("shared:", StringComparison.Ordinal) ? TestEnvironment.DataFile(file["shared:".Length..]) : Path.Combine(AppContext.BaseDirectory, file);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_name_is_recognised_and_total_notifiable_offences_is_the_files_own_sum(string name)
    {
        var path = PathOf(name);
        var file = ExtractFile.ReadWide(path);
        await using var factory = new PortalFactory();
        var json = await ImportTests.ImportAsync(factory, path);
        var report = json.GetProperty("report");
        report.GetProperty("unmappedCategories").EnumerateArray().Select(u => u.GetProperty("majorCategory").GetString() + " / " + u.GetProperty("minorCategory").GetString())
            .Should().BeEmpty("the seed knows every name the MPS has printed in this era");

        // The latest like-for-like span: the financial year to date ending with the file's last month, against the
        // same months a year earlier (both inside every file here).
        var last = YearMonth.FromYyyyMm(file.Counts.Keys.Max(k => k.Month));
        var periods = LikeForLike.YearToDate(last.FinancialYear, last.Month);
        file.Counts.Keys.Min(k => k.Month).Should().BeLessThanOrEqualTo(periods.Previous.From.ToYyyyMm());

        var tno = await MeasureAsync(factory, "total-notifiable-offences", last);
        tno.GetProperty("source").GetString().Should().Be("imported");
        tno.GetProperty("value").GetDecimal().Should().Be(file.Sum(KandC, (_, _) => true, periods.Current.From.ToYyyyMm(), periods.Current.To.ToYyyyMm()));
        tno.GetProperty("previous").GetDecimal().Should().Be(file.Sum(KandC, (_, _) => true, periods.Previous.From.ToYyyyMm(), periods.Previous.To.ToYyyyMm()));

        var sac = await MeasureAsync(factory, "serious-acquisitive-crime", last);
        sac.GetProperty("value").GetDecimal().Should().Be(file.Sum(KandC, IsSac, periods.Current.From.ToYyyyMm(), periods.Current.To.ToYyyyMm()));
        sac.GetProperty("previous").GetDecimal().Should().Be(file.Sum(KandC, IsSac, periods.Previous.From.ToYyyyMm(), periods.Previous.To.ToYyyyMm()));
    }

    [Theory]
    // One release with the split inside it: April–November 2023 against April–November 2022.
    [InlineData(11, "RealFiles/mps/borough-historical-2010-04-to-2023-11.csv")]
    // Two releases of different eras, the later authoritative for the months they share: the whole of 2023/24 against
    // 2022/23, whose April–June come from the title-case 2021–2023 release and the rest from the upper-case 2022–2024 one.
    [InlineData(3, "RealFiles/mps/borough-2021-03-to-2023-02.csv", "RealFiles/mps/borough-2022-07-to-2024-06.csv")]
    public async Task Serious_acquisitive_crime_stays_like_for_like_across_the_2023_burglary_split_and_says_so(int toMonth, params string[] names)
    {
        await using var factory = new PortalFactory();
        var file = new ExtractFile { Header = [], Counts = [] };
        foreach (var name in names)
        {
            var path = PathOf(name);
            var release = ExtractFile.ReadWide(path);
            // The later release replaces every (area, month) it covers, whatever its categories.
            var covered = release.Counts.Keys.Select(k => (k.Area, k.Month)).ToHashSet();
            foreach (var key in file.Counts.Keys.Where(k => covered.Contains((k.Area, k.Month))).ToList()) file.Counts.Remove(key);
            foreach (var (key, count) in release.Counts) file.Counts[key] = count;
            await ImportTests.ImportAsync(factory, path);
        }
        var periods = LikeForLike.YearToDate(new FinancialYear(2023), toMonth);
        var (from, to) = (periods.Current.From.ToYyyyMm(), periods.Current.To.ToYyyyMm());
        var (pFrom, pTo) = (periods.Previous.From.ToYyyyMm(), periods.Previous.To.ToYyyyMm());
        static bool IsResidential(string major, string minor) =>
            major.Equals("Burglary", StringComparison.OrdinalIgnoreCase) && !minor.Contains("BUSINESS", StringComparison.OrdinalIgnoreCase) && minor != "BURGLARY NON-DWELLING";

        foreach (var (code, lines) in new (string, Func<string, string, bool>)[] { ("serious-acquisitive-crime", IsSac), ("residential-burglary", IsResidential) })
        {
            var json = await ImportTests.MeasureAsync(factory, code, "2023/24", toMonth);
            json.GetProperty("value").GetDecimal().Should().Be(file.Sum(KandC, lines, from, to), code);
            json.GetProperty("previous").GetDecimal().Should().Be(file.Sum(KandC, lines, pFrom, pTo), code);
            var changes = json.GetProperty("taxonomyChanges");
            changes.GetArrayLength().Should().Be(1, code);
            changes[0].GetProperty("from").GetString().Should().Be("2023-04");
            changes[0].GetProperty("likeForLike").GetBoolean().Should().BeTrue(code);
            changes[0].GetProperty("statement").GetString().Should().Contain("still compares like with like");
        }
        // The two periods really print residential burglary under different lines: the comparison is only right
        // because the measure counts every one of them.
        IEnumerable<string> Lines(int first, int lastMonth) => file.Counts
            .Where(c => c.Key.Area == KandC && IsResidential(c.Key.Major, c.Key.Minor) && c.Key.Month >= first && c.Key.Month <= lastMonth && c.Value > 0)
            .Select(c => c.Key.Minor).Distinct().Order();
        Lines(from, to).Should().NotEqual(Lines(pFrom, pTo));

        // A measure over other categories crosses nothing it counts.
        (await ImportTests.MeasureAsync(factory, "robbery", "2023/24", toMonth)).GetProperty("taxonomyChanges").GetArrayLength().Should().Be(0);

        // The page says so too, beside the row.
        var board = await factory.SignedInClientAsync("Board");
        var page = await board.GetStringAsync($"/priorities/serious-acquisitive-crime?year=2023/24&toMonth={toMonth}");
        var row = PlanPagesTests.Row(page, "serious-acquisitive-crime");
        row.Should().Contain("data-taxonomy-change=\"2023-04\"").And.Contain("data-like-for-like=\"yes\"");
        System.Net.WebUtility.HtmlDecode(row).Should().Contain("This comparison crosses a change in the MPS's categories (April 2023");
    }

    private static Task<JsonElement> MeasureAsync(PortalFactory factory, string code, YearMonth last) =>
        ImportTests.MeasureAsync(factory, code, last.FinancialYear.ToString(), last.Month);
}
