using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

public sealed class ApiTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Theory]
    [InlineData("serious-acquisitive-crime")]
    [InlineData("youth-crime")]
    [InlineData("terrorist-incident")]
    [InlineData("serious-acquisitive-crime-rate")]
    public async Task Comparison_matches_the_cli_field_for_field(string code)
    {
        var (exit, cli, stderr) = await factory.RunCliAsync("measure", code, "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
        exit.Should().Be(0, stderr);

        var response = await client.GetAsync($"/api/measures/{code}/comparison?area=Kensington%20and%20Chelsea&year=2009/10&toMonth=1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var api = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var expected = JsonNode.Parse(cli)!;
        JsonNode.DeepEquals(api, expected).Should().BeTrue($"the API said\n{api}\nand the CLI\n{expected}");
        ((JsonObject)api).Select(p => p.Key).Should().Equal(((JsonObject)expected).Select(p => p.Key), "the same fields, in the same order");
        if (code == "serious-acquisitive-crime")
        {
            api["value"]!.GetValue<decimal>().Should().Be(3374);
            api["changePercent"]!.GetValue<decimal>().Should().Be(-5.8m);
            api["londonRank"]!.GetValue<string>().Should().Be("9th lowest");
        }
    }

    [Fact]
    public async Task Comparison_defaults_to_the_home_area_and_the_plans_period()
    {
        var withDefaults = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime/comparison"))!;
        var explicitly = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime/comparison?area=Kensington%20%26%20Chelsea&year=2009/10&toMonth=1"))!;
        JsonNode.DeepEquals(withDefaults, explicitly).Should().BeTrue();
    }

    [Fact]
    public async Task Priorities_measures_and_actions_are_listed()
    {
        var priorities = JsonNode.Parse(await client.GetStringAsync("/api/priorities"))!.AsArray();
        priorities.Select(p => p!["code"]!.GetValue<string>()).Should().Equal("confidence", "drugs-and-reoffending", "serious-acquisitive-crime",
            "serious-violence", "street-populations", "terrorism", "domestic-violence");

        var sac = JsonNode.Parse(await client.GetStringAsync("/api/priorities/serious-acquisitive-crime"))!;
        sac["measures"]!.AsArray().Should().HaveCount(8);
        sac["measures"]![0]!["changeText"]!.GetValue<string>().Should().Be("-5.8%");
        sac["targets"]!.AsArray().Should().Contain(t => t!["asPrinted"]!.GetValue<string>() == "-1.2%");
        sac["actions"]!.AsArray().Should().HaveCount(13);

        var measures = JsonNode.Parse(await client.GetStringAsync("/api/measures"))!.AsArray();
        measures.Should().HaveCount(26);
        var rate = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime-rate"))!;
        rate["rateOf"]!.GetValue<string>().Should().Be("serious-acquisitive-crime");
        rate["targets"]![0]!["asPrinted"]!.GetValue<string>().Should().Be("25.46");

        var actions = JsonNode.Parse(await client.GetStringAsync("/api/actions"))!.AsArray();
        actions.Should().HaveCount(42);
        actions[0]!.AsObject().Should().ContainKey("latestUpdate");
        var sacActions = JsonNode.Parse(await client.GetStringAsync("/api/priorities/serious-acquisitive-crime/actions"))!.AsArray();
        sacActions.Should().HaveCount(13).And.OnlyContain(a => a!["priority"]!.GetValue<string>() == "serious-acquisitive-crime");
        sacActions[0]!["dueDate"]!.GetValue<string>().Should().Be("2011-03-31");
    }

    [Fact]
    public async Task Series_lists_stored_monthly_figures()
    {
        var series = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime/series?from=2008-04&to=2010-01"))!;
        series["area"]!.GetValue<string>().Should().Be("Kensington and Chelsea");
        series["from"]!.GetValue<string>().Should().Be("2008-04");
        series["to"]!.GetValue<string>().Should().Be("2010-01");
        // The plan publishes year-to-date totals only; monthly values arrive with imported extracts.
        series["points"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Series_with_imported_extracts_lists_every_month_traceable_to_the_file()
    {
        await Reports.ReportFixture.ImportAsync(factory);
        var file = Importing.ExtractFile.ReadWide(Path.Combine(factory.WorkDirectory, "fixture-extract.csv"));
        // Which names the measure adds up is the analysts' mapping (in the database); the counts come from the file.
        List<(string Major, string Minor)> names;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCsp.Data.KcCspDbContext>();
            var categories = db.MeasureCategories.Where(mc => mc.Measure!.Code == "serious-acquisitive-crime").Select(mc => mc.CategoryId).ToList();
            names = db.CategoryAliases.Where(a => a.CategoryId != null && categories.Contains(a.CategoryId.Value)).Select(a => new { a.MajorName, a.MinorName }).AsEnumerable()
                .Select(a => (a.MajorName, a.MinorName)).ToList();
        }
        names.Should().NotBeEmpty();

        var series = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime/series?from=2008-04&to=2010-03"))!;

        var points = series["points"]!.AsArray();
        points.Select(p => p!["month"]!.GetValue<string>()).Should().Equal(
            Enumerable.Range(0, 24).Select(i => new DateOnly(2008, 4, 1).AddMonths(i).ToString("yyyy-MM")));
        foreach (var point in points)
        {
            var month = int.Parse(point!["month"]!.GetValue<string>().Replace("-", ""));
            var expected = file.Sum("Kensington and Chelsea", (major, minor) => names.Contains((major, minor)), month, month);
            point["value"]!.GetValue<decimal>().Should().Be(expected, $"{month} adds up the file's rows for the measure's categories");
            point["source"]!.GetValue<string>().Should().Be("imported");
            point["sourceNote"]!.GetValue<string>().Should().Be("MPS crime extract, import #1 fixture-extract.csv");
        }
        // The same months add up to the comparison's year to date.
        var comparison = JsonNode.Parse(await client.GetStringAsync("/api/measures/serious-acquisitive-crime/comparison?year=2009/10&toMonth=1"))!;
        comparison["value"]!.GetValue<decimal>().Should().Be(points.Skip(12).Take(10).Sum(p => p!["value"]!.GetValue<decimal>()));
    }

    [Theory]
    [InlineData("/api/measures/no-such-measure", 404, "no-such-measure")]
    [InlineData("/api/measures/no-such-measure/comparison", 404, "no-such-measure")]
    [InlineData("/api/measures/robbery/comparison?area=Atlantis", 404, "Atlantis")]
    [InlineData("/api/measures/robbery/series?area=Atlantis", 404, "Atlantis")]
    [InlineData("/api/priorities/no-such-priority", 404, "no-such-priority")]
    [InlineData("/api/priorities/no-such-priority/actions", 404, "no-such-priority")]
    [InlineData("/api/nothing/here", 404, "/api/nothing/here")]
    [InlineData("/api/measures/robbery/comparison?year=2009/11", 400, "year")]
    [InlineData("/api/measures/robbery/comparison?year=last", 400, "year")]
    [InlineData("/api/measures/robbery/comparison?toMonth=13", 400, "toMonth")]
    [InlineData("/api/measures/robbery/comparison?toMonth=0", 400, "toMonth")]
    [InlineData("/api/measures/robbery/comparison?toMonth=soon", 400, "toMonth")]
    [InlineData("/api/priorities/confidence?year=20", 400, "year")]
    [InlineData("/api/measures/robbery/series?from=2009-13", 400, "from")]
    [InlineData("/api/measures/robbery/series?from=2010-01&to=2009-04", 400, "from")]
    public async Task Bad_requests_are_problem_details(string url, int status, string named)
    {
        var response = await client.GetAsync(url);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().Should().Be(status);
        problem.RootElement.GetRawText().Should().Contain(named);
    }

    [Fact]
    public async Task OpenAPI_document_lists_every_endpoint_and_no_page()
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().BeEquivalentTo(
            "/api/priorities", "/api/priorities/{code}", "/api/priorities/{code}/actions", "/api/measures", "/api/measures/{code}",
            "/api/measures/{code}/comparison", "/api/measures/{code}/series", "/api/measures/{code}/spc", "/api/measures/{code}/rolling-12", "/api/actions",
            "/api/priorities/{code}/narrative", "/api/measures/{code}/hotspots");
        var narrative = doc.RootElement.GetProperty("paths").GetProperty("/api/priorities/{code}/narrative").GetProperty("get");
        narrative.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .Should().BeEquivalentTo("code", "area", "year", "toMonth", "from", "to");
        doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("AnalysisJson", out _).Should().BeTrue();
        var hotspots = doc.RootElement.GetProperty("paths").GetProperty("/api/measures/{code}/hotspots").GetProperty("get");
        hotspots.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .Should().BeEquivalentTo("code", "area", "year", "toMonth", "level");
        doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("HotspotsJson", out _).Should().BeTrue();
        var comparison = doc.RootElement.GetProperty("paths").GetProperty("/api/measures/{code}/comparison").GetProperty("get");
        comparison.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .Should().BeEquivalentTo("code", "area", "year", "toMonth");
        doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("MeasureComparison", out _).Should().BeTrue();
        var responses = comparison.GetProperty("responses");
        responses.GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name).Should().Equal("application/json");
        responses.GetProperty("404").GetProperty("content").EnumerateObject().Select(c => c.Name).Should().Equal("application/problem+json");
        doc.RootElement.GetProperty("info").GetProperty("title").GetString().Should().Be("KcCsp open data API");
    }
}
