using System.Text.Json;
using System.Text.Json.Nodes;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// Pins the JSON the API and the CLI print, field for field, against snapshots taken before the report model was
/// introduced: a refactoring of how reports are built must not change a field's name or value. The snapshots are in
/// Reports/Snapshots; to accept a deliberate change, run with KCCSP_UPDATE_SNAPSHOTS=1 and review the diff.
/// </summary>
public sealed class ContractSnapshotTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static readonly (string Year, int ToMonth)[] Periods = [("2009/10", 1), ("2010/11", 3), ("2008/09", 12), ("2009/10", 12)];

    [Fact]
    public async Task Api_answers_are_unchanged_on_the_seeded_plan() => await MatchAsync("seeded-plan.json", await ReadAllAsync());

    [Fact]
    public async Task Api_answers_are_unchanged_with_imported_extracts_and_populations()
    {
        await ReportFixture.ImportAsync(factory);
        await MatchAsync("imported.json", await ReadAllAsync());
    }

    [Fact]
    public async Task Cli_measure_json_is_the_api_comparison_with_imported_data()
    {
        await ReportFixture.ImportAsync(factory);
        foreach (var code in new[] { "serious-acquisitive-crime", "drugs-offences", "serious-acquisitive-crime-rate", "youth-crime" })
        {
            var (exit, cli, err) = await factory.RunCliAsync("measure", code, "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
            exit.Should().Be(0, err);
            var api = JsonNode.Parse(await client.GetStringAsync($"/api/measures/{code}/comparison?year=2009/10&toMonth=1"))!;
            JsonNode.DeepEquals(JsonNode.Parse(cli), api).Should().BeTrue($"CLI\n{cli}\nAPI\n{api}");
        }
    }

    private async Task<JsonObject> ReadAllAsync()
    {
        var all = new JsonObject();
        async Task Get(string url) => all[url] = JsonNode.Parse(await client.GetStringAsync(url));
        await Get("/api/priorities");
        await Get("/api/measures");
        await Get("/api/actions");
        var codes = JsonNode.Parse(await client.GetStringAsync("/api/measures"))!.AsArray().Select(m => m!["code"]!.GetValue<string>()).ToList();
        var priorities = JsonNode.Parse(await client.GetStringAsync("/api/priorities"))!.AsArray().Select(p => p!["code"]!.GetValue<string>()).ToList();
        foreach (var (year, month) in Periods)
        {
            foreach (var p in priorities) await Get($"/api/priorities/{p}?year={year}&toMonth={month}");
            foreach (var m in codes) await Get($"/api/measures/{m}/comparison?year={year}&toMonth={month}");
        }
        foreach (var m in codes) await Get($"/api/measures/{m}/comparison?area=Westminster&year=2009/10&toMonth=1");
        foreach (var m in codes) await Get($"/api/measures/{m}/series?from=2009-01&to=2009-06");
        return all;
    }

    private static async Task MatchAsync(string name, JsonObject actual)
    {
        var path = Path.Combine(SnapshotFolder(), name);
        var text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (Environment.GetEnvironmentVariable("KCCSP_UPDATE_SNAPSHOTS") == "1" && !TestEnvironment.IsCi)
        {
            await File.WriteAllTextAsync(path, text + "\n");
            return;
        }
        File.Exists(path).Should().BeTrue($"the snapshot {path} is part of the repository");
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        expected.Select(e => e.Key).Should().Equal(actual.Select(a => a.Key));
        foreach (var (url, value) in expected)
        {
            var now = actual[url];
            // Every field the snapshot has keeps its name, value and order; fields added since (new analytics) may follow.
            var differences = new List<string>();
            Compare(value, now, "$", differences);
            differences.Should().BeEmpty($"GET {url} answered\n{now}\nbut the snapshot says\n{value}");
        }
    }

    /// <summary>Where <paramref name="actual"/> departs from <paramref name="expected"/>: a field missing, moved or changed.
    /// Fields only in <paramref name="actual"/> are allowed.</summary>
    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case JsonObject e when actual is JsonObject a:
                var order = a.Select(p => p.Key).ToList();
                var last = -1;
                foreach (var (key, value) in e)
                {
                    var at = order.IndexOf(key);
                    if (at < 0) { differences.Add($"{path}.{key} is missing"); continue; }
                    if (at < last) differences.Add($"{path}.{key} moved before an earlier field");
                    last = at;
                    Compare(value, a[key], $"{path}.{key}", differences);
                }
                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count) { differences.Add($"{path} has {a.Count} items, not {e.Count}"); break; }
                for (var i = 0; i < e.Count; i++) Compare(e[i], a[i], $"{path}[{i}]", differences);
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual)) differences.Add($"{path} is {actual?.ToJsonString() ?? "null"}, not {expected?.ToJsonString() ?? "null"}");
                break;
        }
    }

    private static string SnapshotFolder()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var folder = Path.Combine(d.FullName, "tests", "KcCsp.Web.Tests", "Reports", "Snapshots");
            if (Directory.Exists(folder)) return folder;
        }
        throw new DirectoryNotFoundException("tests/KcCsp.Web.Tests/Reports/Snapshots not found above " + AppContext.BaseDirectory);
    }
}
