using System.Net;
using System.Text.RegularExpressions;

namespace KcCsp.Web.Tests.Analytics;

/// <summary>The priority page's monthly trend, XmR and peer charts, read through their data tables, against the real file.</summary>
[Collection(nameof(RealDataPortal))]
public sealed partial class PriorityAnalyticsPageTests(RealDataPortal portal)
{
    private static List<List<string>> Table(string html, string chartId)
    {
        var at = html.IndexOf($"id=\"{chartId}\"", StringComparison.Ordinal);
        at.Should().BeGreaterThan(0, $"the page has the chart {chartId}");
        var body = html[html.IndexOf("<tbody>", at, StringComparison.Ordinal)..html.IndexOf("</tbody>", at, StringComparison.Ordinal)];
        return Row().Matches(body).Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Tag().Replace(c.Groups[1].Value, "")).Trim()).ToList()).ToList();
    }

    [Fact]
    public async Task Monthly_trend_spc_and_peer_charts_show_the_files_numbers()
    {
        var html = await portal.Board.GetStringAsync("/priorities/serious-acquisitive-crime?year=2011/12&toMonth=9");
        // Residential burglary, month by month, April to September 2011 against 2010, from the file's dwelling burglaries.
        int Burglary(int yyyymm) => portal.File.Counts.Where(c => c.Key.Area == "Kensington and Chelsea" && c.Key.Minor == "Burglary in a Dwelling" && c.Key.Month == yyyymm).Sum(c => c.Value);
        var trend = Table(html, "chart-residential-burglary");
        trend.Select(r => r[0]).Should().Equal("April", "May", "June", "July", "August", "September");
        for (var i = 0; i < 6; i++)
        {
            trend[i][1].Replace(",", "").Should().Be(Burglary(201004 + i).ToString(), trend[i][0]);
            trend[i][2].Replace(",", "").Should().Be(Burglary(201104 + i).ToString(), trend[i][0]);
        }
        var ytd = Table(html, "chart-residential-burglary-ytd");
        ytd[^1][2].Replace(",", "").Should().Be(Enumerable.Range(0, 6).Sum(i => Burglary(201104 + i)).ToString());

        // The XmR chart: 24 baseline months (April 2009 – March 2011) then the period, every value from the file.
        var spc = Table(html, "chart-residential-burglary-spc");
        spc.Should().HaveCount(30);
        spc[0][0].Should().Be("April 2009");
        spc[^1][0].Should().Be("September 2011");
        spc.Take(24).Should().OnlyContain(r => r[3] == "yes");
        spc.Skip(24).Should().OnlyContain(r => r[3] == "no");
        spc[0][1].Replace(",", "").Should().Be(Burglary(200904).ToString());
        html.Should().Contain("XmR chart April 2009 – September 2011");

        var peers = Table(html, "chart-residential-burglary-peer");
        peers.Should().HaveCount(13);
        peers.Should().ContainSingle(r => r[0] == "Kensington and Chelsea (this borough)");
    }

    [Fact]
    public async Task An_analyst_chooses_the_spc_baseline_on_the_page_and_the_caption_and_csv_say_which()
    {
        const string page = "/priorities/serious-acquisitive-crime?year=2011/12&toMonth=9";
        // By default the limits come from the 24 months before the period, and the caption says it is the default.
        var byDefault = await portal.Board.GetStringAsync(page);
        WebUtility.HtmlDecode(byDefault).Should().Contain("from April 2009 – March 2011 (default baseline)").And.Contain("data-baseline=\"default\"");
        byDefault.Should().Contain("<input id=\"baseline-to\" name=\"baselineTo\" inputmode=");

        // The page's own GET form: the first twelve months as the baseline.
        var html = await portal.Board.GetStringAsync(page + "&baselineTo=2010-03");
        var spc = Table(html, "chart-residential-burglary-spc");
        spc.Should().HaveCount(30);
        spc.Take(12).Should().OnlyContain(r => r[3] == "yes");
        spc.Skip(12).Should().OnlyContain(r => r[3] == "no");
        WebUtility.HtmlDecode(html).Should().Contain("from April 2009 – March 2010 (baseline chosen)")
            .And.Contain("each chart's first month to March 2010 (a chosen baseline)");
        html.Should().Contain("data-baseline=\"2010-03\"").And.Contain("<input id=\"baseline-to\" name=\"baselineTo\" value=\"2010-03\"");

        // The mean and limits are the CLI's for the same baseline, and the chart's CSV link keeps the choice.
        var cli = await portal.CliJsonAsync("spc", "residential-burglary", "--area", "Kensington and Chelsea", "--from", "2009-04", "--to", "2011-09", "--baseline-to", "2010-03", "--json");
        var mean = cli["mean"]!.GetValue<decimal>();
        html.Should().Contain($"mean {mean:0.#}, limits {cli["lowerLimit"]!.GetValue<decimal>():0.#} to {cli["upperLimit"]!.GetValue<decimal>():0.#}");
        var link = Regex.Match(html, "href=\"(/priorities/serious-acquisitive-crime/charts/residential-burglary-spc\\.csv[^\"]*)\"").Groups[1].Value;
        WebUtility.HtmlDecode(link).Should().EndWith("?year=2011%2F12&toMonth=9&baselineTo=2010-03");
        var csv = (await portal.Board.GetStringAsync(WebUtility.HtmlDecode(link))).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        csv[0].TrimStart('\uFEFF').Should().StartWith("Month,Value,Mean,Lower limit,Upper limit,In baseline,Baseline");
        csv.Skip(1).Should().HaveCount(30);
        csv.Skip(1).Count(l => l.Contains(",yes,2009-04 to 2010-03 (chosen)", StringComparison.Ordinal)).Should().Be(12);
        Math.Round(decimal.Parse(csv[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), 4).Should().Be(mean, "the CSV carries the mean the CLI prints to four places");
    }

    [Theory]
    [InlineData("2010-13", "baselineTo: '2010-13' is not a month")]
    [InlineData("March", "baselineTo: 'March' is not a month")]
    [InlineData("2005-01", "baselineTo: 2005-01 is outside the charts of April 2011 – September 2011")]
    [InlineData("2011-10", "baselineTo: 2011-10 is outside the charts")]
    public async Task A_baseline_the_charts_cannot_have_is_refused_naming_the_parameter(string baselineTo, string message)
    {
        var response = await portal.Board.GetAsync($"/priorities/serious-acquisitive-crime?year=2011/12&toMonth=9&baselineTo={baselineTo}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        var csv = await portal.Board.GetAsync($"/priorities/serious-acquisitive-crime/charts/residential-burglary-spc.csv?year=2011/12&toMonth=9&baselineTo={baselineTo}");
        csv.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await csv.Content.ReadAsStringAsync()).Should().Contain(message);
    }

    [Fact]
    public async Task Board_pack_has_the_process_control_tables_the_cli_computes()
    {
        var response = await portal.Board.GetAsync("/board-pack?year=2011/12&toMonth=9");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var workbook = new ClosedXML.Excel.XLWorkbook(await response.Content.ReadAsStreamAsync());
        var sheet = workbook.Worksheet("Process control");
        var rows = sheet.RowsUsed().Skip(1).Where(r => r.Cell(1).GetString() == "Residential burglary").ToList();
        rows.Should().HaveCount(30);
        rows[0].Cell(2).GetString().Should().Be("2009-04");

        // The same chart from the command line: the months shown, limits from the 24 months before the period.
        var cli = await portal.CliJsonAsync("spc", "residential-burglary", "--area", "Kensington and Chelsea", "--from", "2009-04", "--to", "2011-09", "--baseline-to", "2011-03", "--json");
        rows[0].Cell(4).GetValue<decimal>().Should().Be(Math.Round(cli["mean"]!.GetValue<decimal>(), 2));
        rows[0].Cell(5).GetValue<decimal>().Should().Be(Math.Round(cli["lowerLimit"]!.GetValue<decimal>(), 2));
        rows[0].Cell(6).GetValue<decimal>().Should().Be(Math.Round(cli["upperLimit"]!.GetValue<decimal>(), 2));
        var points = cli["points"]!.AsArray();
        for (var i = 0; i < 30; i++)
        {
            rows[i].Cell(3).GetValue<decimal>().Should().Be(points[i]!["value"]!.GetValue<decimal>());
            var signals = points[i]!["signals"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
            if (signals.Count == 0) rows[i].Cell(8).GetString().Should().Be("–");
            else rows[i].Cell(8).GetString().Should().StartWith(string.Join("; ", signals));
        }
    }

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
