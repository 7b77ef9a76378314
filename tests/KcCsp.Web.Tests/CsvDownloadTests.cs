using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using KcCsp.Web.Features.Downloads;
using nietras.SeparatedValues;

namespace KcCsp.Web.Tests;

public sealed class CsvDownloadTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task Priority_measures_csv_has_the_section_2_row_with_numbers()
    {
        var response = await client.GetAsync("/priorities/serious-acquisitive-crime/measures.csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Be("kccsp-serious-acquisitive-crime-measures.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal([0xEF, 0xBB, 0xBF], "Excel needs the byte-order mark to read UTF-8");

        var rows = Read(bytes);
        var sac = rows.Single(r => r["Measure code"] == "serious-acquisitive-crime");
        sac["Previous"].Should().Be("3582");
        sac["Current"].Should().Be("3374");
        sac["Change %"].Should().Be("-5.8", "a negative change stays a number, not protected text");
        sac["London rank"].Should().Be("9th lowest");
        sac["Meeting target?"].Should().Be("✓ met");
        sac["Source note"].Should().Be("Crime and Community Safety Plan 2010-2013, Section 2");

        // A target printed as "-1.2%" is a plain signed number: a spreadsheet reads it as a number, so it is not quoted.
        var targets = Read(await client.GetByteArrayAsync("/priorities/serious-acquisitive-crime/targets.csv"));
        targets.Should().Contain(r => r["Measure code"] == "serious-acquisitive-crime" && r["Target as printed"] == "-1.2%" && r["Year"] == "2010/11");
    }

    [Fact]
    public async Task Formula_text_is_written_as_plain_text()
    {
        await BoardPackTests.AddActionAsync(factory, BoardPackTests.FormulaText);

        var bytes = await client.GetByteArrayAsync("/priorities/serious-acquisitive-crime/actions.csv");

        var action = Read(bytes).Single(r => r["Action"].Contains("HYPERLINK"));
        action["Action"].Should().Be("'" + BoardPackTests.FormulaText, "the leading quote stops a spreadsheet from running it");
        action["Lead agency"].Should().Be("'@Police");
        action["Detail"].Should().Be("'+ more");
        action["Latest update"].Should().BeEmpty();
        Encoding.UTF8.GetString(bytes).Should().NotContain(",=HYPERLINK").And.NotContain(",\"=HYPERLINK");
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 20 7361 3000", "'+44 20 7361 3000")]
    [InlineData("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("-1.2%", "-1.2%")]
    [InlineData("+14.4", "+14.4")]
    [InlineData("9th lowest", "9th lowest")]
    [InlineData("– no target", "– no target")]
    public void Csv_cells_are_protected_only_when_they_could_be_formulas(string text, string written) =>
        SpreadsheetText.ForCsv(text).Should().Be(written);

    [Fact]
    public async Task Every_table_on_the_home_and_priority_pages_has_a_working_csv_link()
    {
        var links = new List<string>();
        foreach (var page in new[] { "/", "/priorities/serious-acquisitive-crime", "/priorities/drugs-and-reoffending" })
        {
            var html = await client.GetStringAsync(page);
            var tables = Regex.Matches(html, "<table").Count;
            // Every link carries the page's period (?year=2009%2F10&toMonth=1), so the file says what the page says.
            var pageLinks = Regex.Matches(html, "<a href=\"([^\"]+\\.csv)\\?year=2009%2F10&amp;toMonth=1\" download>Download CSV").Select(m => m.Groups[1].Value).ToList();
            // The home page's headline tables (one per card) share one CSV, as do a priority's actions tables (one per
            // theme); every other table has its own link.
            var actionTables = Regex.Matches(html, "<table class=\"actions\"").Count;
            if (page == "/") pageLinks.Should().Equal("/measures.csv", "/partnership.csv");
            else pageLinks.Count.Should().Be(tables - actionTables + 1, $"{page} has {tables} tables, {actionTables} of them actions");
            links.AddRange(pageLinks);
        }
        links.Should().Contain("/priorities/serious-acquisitive-crime/charts/serious-acquisitive-crime.csv")
            .And.Contain("/priorities/serious-acquisitive-crime/targets.csv").And.Contain("/priorities/serious-acquisitive-crime/actions.csv");

        foreach (var link in links.Distinct())
        {
            var response = await client.GetAsync(link + "?year=2009%2F10&toMonth=1");
            response.StatusCode.Should().Be(HttpStatusCode.OK, link);
            Read(await response.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty(link);
        }

        var headlines = Read(await client.GetByteArrayAsync("/measures.csv"));
        headlines.Should().Contain(r => r["Priority code"] == "serious-acquisitive-crime" && r["Measure code"] == "serious-acquisitive-crime" && r["Change %"] == "-5.8");
        var chart = Read(await client.GetByteArrayAsync("/priorities/serious-acquisitive-crime/charts/serious-acquisitive-crime.csv"));
        chart.Select(r => r["Serious acquisitive crime"]).Should().Equal("3582", "3374");
    }

    [Theory]
    [InlineData("/priorities/no-such-priority/measures.csv")]
    [InlineData("/priorities/no-such-priority/actions.csv")]
    [InlineData("/priorities/serious-acquisitive-crime/charts/no-such-measure.csv")]
    public async Task Unknown_tables_are_404(string url) =>
        (await client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.NotFound);

    /// <summary>Rows as header → text, read back with Sep (which takes care of quoting).</summary>
    internal static List<Dictionary<string, string>> Read(byte[] bytes)
    {
        var text = new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(text);
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var cells = new Dictionary<string, string>();
            foreach (var name in names) cells[name] = row[name].ToString();
            rows.Add(cells);
        }
        return rows;
    }
}
