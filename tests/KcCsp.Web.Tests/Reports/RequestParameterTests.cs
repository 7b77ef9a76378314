using System.Net;
using System.Text.Json;
using KcCsp.Domain;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// A period that has not started is refused by the one period parser wherever a reader names one — pages, CSV
/// downloads, the API and the CLI — and a bad parameter's ProblemDetails title says what is actually wrong.
/// </summary>
public sealed class RequestParameterTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    /// <summary>Today's financial year by the portal's clock (the system clock in tests), and the one after it.</summary>
    private static readonly FinancialYear ThisYear = FinancialYear.Of(Today.Of(TimeProvider.System));
    private static readonly FinancialYear NextYear = new(ThisYear.StartYear + 1);

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Theory]
    [InlineData("2099/00")]
    [InlineData(null)] // next financial year
    public async Task A_year_that_has_not_started_is_refused_on_pages_and_downloads_naming_year_and_value(string? year)
    {
        year ??= NextYear.ToString();
        var query = "?year=" + Uri.EscapeDataString(year);
        foreach (var page in new[] { "/", "/priorities/serious-acquisitive-crime", "/board-pack/print" })
        {
            var response = await client.GetAsync(page + query);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, page);
            var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            text.Should().Contain($"year: '{year}' has not started yet", page).And.Contain($"the latest financial year is {ThisYear}", page);
        }
        foreach (var csv in new[] { "/measures.csv", "/priorities/serious-acquisitive-crime/measures.csv", "/priorities/serious-acquisitive-crime/charts/residential-burglary.csv" })
        {
            var response = await client.GetAsync(csv + query);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, csv);
            (await response.Content.ReadAsStringAsync()).Should().StartWith($"year: '{year}' has not started yet", csv);
        }
        var pack = await client.GetAsync("/board-pack" + query);
        pack.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // This year is a period like any other, and a past year still shows its figures.
        (await client.GetAsync("/priorities/serious-acquisitive-crime?year=" + Uri.EscapeDataString(ThisYear.ToString()))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/priorities/confidence?year=2099/00")]
    [InlineData("/api/measures/robbery/comparison?year=2099/00&toMonth=1")]
    [InlineData("/api/measures/robbery/rolling-12?area=Kensington%20and%20Chelsea&to=2099-01", "to", "2099-01")]
    [InlineData("/api/measures/robbery/series?from=2009-04&to=2099-01", "to", "2099-01")]
    [InlineData("/api/measures/robbery/spc?area=Kensington%20and%20Chelsea&from=2009-04&to=2099-01", "to", "2099-01")]
    public async Task The_api_refuses_a_year_that_has_not_started_as_problem_details(string url, string parameter = "year", string value = "2099/00")
    {
        var (status, title, detail) = await ProblemAsync(url);
        status.Should().Be(400);
        title.Should().Be("The period is not valid.");
        detail.Should().Be($"{parameter}: '{value}' has not started yet: the latest financial year is {ThisYear}.");
    }

    [Fact]
    public async Task The_cli_refuses_a_year_that_has_not_started_with_exit_2()
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", "robbery", "--area", "Kensington and Chelsea", "--year", "2099/00", "--to-month", "1", "--json");
        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain($"--year: '2099/00' has not started yet: the latest financial year is {ThisYear}.");

        (exit, _, stderr) = await factory.RunCliAsync("measure", "robbery", "--area", "Kensington and Chelsea", "--rolling-12", "--to", "2099-01");
        exit.Should().Be(2);
        stderr.Should().Contain($"--to: '2099-01' has not started yet: the latest financial year is {ThisYear}.");
        (exit, _, stderr) = await factory.RunCliAsync("spc", "robbery", "--area", "Kensington and Chelsea", "--from", "2009-04", "--to", "2099-01");
        exit.Should().Be(2);
        stderr.Should().Contain($"--to: '2099-01' has not started yet");

        // Today's year is accepted (no figures yet, but a period).
        (await factory.RunCliAsync("measure", "robbery", "--area", "Kensington and Chelsea", "--year", ThisYear.ToString(), "--to-month", "4", "--json")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_target_for_a_later_year_can_still_be_set_a_targets_year_is_not_a_report_period()
    {
        var analyst = await factory.SignedInClientAsync("Analyst", followRedirects: false);
        var form = await analyst.GetStringAsync("/targets");
        var saved = await analyst.PostAsync("/targets", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.Token(form), ["Target.Measure"] = "robbery", ["Target.FinancialYear"] = "2099/00",
            ["Target.Form"] = "ChangeAgainstPreviousYear", ["Target.Value"] = "-3", ["Target.AsPrinted"] = "-3%", ["Target.Set"] = "A later plan",
        }));
        ((int)saved.StatusCode).Should().Be(302, await saved.Content.ReadAsStringAsync());
        WebUtility.HtmlDecode(await analyst.GetStringAsync("/targets")).Should().Contain("<td>2099/00</td>");
    }

    [Theory]
    [InlineData("/api/measures/total-notifiable-offences/spc?from=2009-04&to=2010-03", "The parameter 'area' is required.", "area: give a borough")]
    [InlineData("/api/measures/total-notifiable-offences/rolling-12?to=2010-03", "The parameter 'area' is required.", "area: give a borough")]
    [InlineData("/api/measures/total-notifiable-offences/rolling-12?area=Kensington%20and%20Chelsea", "The parameter 'to' is required.", "to: give the last month")]
    [InlineData("/api/measures/total-notifiable-offences/spc?area=Kensington%20and%20Chelsea&to=2010-03", "The parameter 'from' is required.", "from and to:")]
    [InlineData("/api/measures/total-notifiable-offences/spc?area=Kensington%20and%20Chelsea&from=2009-13&to=2010-03", "The period is not valid.", "from: '2009-13' is not a month")]
    public async Task A_bad_parameter_is_titled_by_what_is_wrong_with_it(string url, string title, string detail)
    {
        var problem = await ProblemAsync(url);
        problem.Status.Should().Be(400);
        problem.Title.Should().Be(title);
        problem.Detail.Should().StartWith(detail);
    }

    private async Task<(int Status, string? Title, string? Detail)> ProblemAsync(string url)
    {
        var response = await client.GetAsync(url);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("status").GetInt32().Should().Be((int)response.StatusCode);
        return ((int)response.StatusCode, json.RootElement.GetProperty("title").GetString(), json.RootElement.GetProperty("detail").GetString());
    }
}
