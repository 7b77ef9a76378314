using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KcCsp.Web.Tests;

public sealed class PlanPagesTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        // Every page needs sign-in; the board reads everything.
        client = await factory.SignedInClientAsync("Board");
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task Home_page_shows_all_seven_priorities_with_their_headline_status()
    {
        var html = await client.GetStringAsync("/");

        var priorities = Regex.Matches(html, "data-priority=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        priorities.Should().Equal("confidence", "drugs-and-reoffending", "serious-acquisitive-crime", "serious-violence",
            "street-populations", "terrorism", "domestic-violence");
        html.Should().Contain("Reduce our vulnerability to terrorist attack");
        // Status is shown as icon and word, never colour alone.
        var sacRow = Row(html, "serious-acquisitive-crime");
        sacRow.Should().Contain("3,374").And.Contain("-5.8%").And.Contain("✓").And.Contain("met");
        Row(html, "domestic-violence").Should().Contain("×").And.Contain("not met");
    }

    [Fact]
    public async Task Priority_page_shows_the_section_2_row_the_chart_and_the_actions()
    {
        var html = await client.GetStringAsync("/priorities/serious-acquisitive-crime");

        var row = Row(html, "serious-acquisitive-crime");
        Cells(row).Should().Equal("3,582", "3,374", "-5.8%", "9th lowest", "✓ met", "Yes (p = 0.013)", "published");
        html.Should().Contain("<th scope=\"col\" class=\"num\">2008/09</th>").And.Contain("<th scope=\"col\" class=\"num\">2009/10</th>");

        // The chart is a typed configuration with both years' values, and has a data-table alternative.
        var config = Regex.Match(html, "id=\"chart-serious-acquisitive-crime\" data-chart=\"([^\"]+)\"").Groups[1].Value;
        using var chart = JsonDocument.Parse(WebUtility.HtmlDecode(config));
        chart.RootElement.GetProperty("type").GetString().Should().Be("bar");
        chart.RootElement.GetProperty("data").GetProperty("datasets")[0].GetProperty("data").EnumerateArray()
            .Select(e => e.GetDecimal()).Should().Equal(3582m, 3374m);
        html.Should().Contain("Data table for this chart");

        html.Should().Contain("Target harden properties where repeat burglaries have occurred");
        html.Should().Contain("<h3>Early Intervention</h3>").And.Contain("<h3>Situational Prevention</h3>")
            .And.Contain("<h3>Enforcement</h3>").And.Contain("<h3>Reducing Re-offending</h3>");
        WebUtility.HtmlDecode(html).Should().Contain("personal robbery +11.7%");
        html.Should().Contain("6,864 offences were recorded");
        var target = Regex.Match(html, "<tr data-target=\"serious-acquisitive-crime\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Cells(target).Should().Equal("2010/11", "-1.2%", "a change of -1.2% or better against the previous year", "Police targets 2010-2011");
    }

    [Fact]
    public async Task Youth_crime_row_uses_the_plans_april_to_december_period()
    {
        var html = await client.GetStringAsync("/priorities/drugs-and-reoffending");

        var row = Row(html, "youth-crime");
        row.Should().Contain("April 2009 – December 2009");
        Cells(row).Take(4).Should().Equal("484", "473", "-2.3%", "–");
        Cells(Row(html, "drugs-offences")).Take(5).Should().Equal("5,298", "4,779", "-9.8%", "6th highest", "– no target");
    }

    [Fact]
    public async Task Unknown_priority_is_a_404_page_and_health_answers()
    {
        var missing = await client.GetAsync("/priorities/no-such-priority");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("Page not found");

        // /health answers without sign-in (load balancers and monitors have no account).
        var health = await factory.CreateRawClient().GetAsync("/health/ready");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task Chart_library_is_served_from_the_portal_itself()
    {
        var response = await client.GetAsync("/lib/chart.js/chart.umd.min.js");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Chart");
    }

    [Fact]
    public async Task The_period_picker_chooses_the_year_and_month_and_refuses_nonsense()
    {
        var home = await client.GetStringAsync("/");
        home.Should().Contain("<option value=\"2009/10\" selected=\"selected\">2009/10</option>")
            .And.Contain("<option value=\"1\" selected=\"selected\">January</option>");
        home.Should().Contain("href=\"/priorities/serious-acquisitive-crime?year=2009%2F10&amp;toMonth=1\"");

        // The plan's youth crime runs April to December: choosing December shows it as a like-for-like row.
        var december = await client.GetStringAsync("/priorities/drugs-and-reoffending?year=2009/10&toMonth=12");
        december.Should().Contain("April 2009 – December 2009 against April 2008 – December 2008");
        Cells(Row(december, "youth-crime")).Take(3).Should().Equal("484", "473", "-2.3%");

        foreach (var (query, message) in new[] { ("year=2009/11", "2009 must be followed by 10"), ("toMonth=13", "toMonth: 13 is not a calendar month") })
        {
            var response = await client.GetAsync("/?" + query);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain(message);
            (await client.GetAsync("/priorities/domestic-violence?" + query)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await client.GetAsync("/measures.csv?" + query)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
    }

    /// <summary>The table row (tr) marked with the measure's code.</summary>
    internal static string Row(string html, string measure)
    {
        var match = Regex.Match(html, $"<tr data-measure=\"{Regex.Escape(measure)}\">(.*?)</tr>", RegexOptions.Singleline);
        match.Success.Should().BeTrue($"the page should have a row for {measure}");
        return match.Groups[1].Value;
    }

    /// <summary>The text of each td of a row, tags removed and whitespace collapsed.</summary>
    internal static List<string> Cells(string row) =>
        Regex.Matches(row, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline)
            .Select(m => Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", " ")), @"\s+", " ").Trim())
            .ToList();
}
