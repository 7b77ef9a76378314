using System.Text.Json;
using System.Text.Json.Nodes;
using KcCsp.Web.Tests.Importing;

namespace KcCsp.Web.Tests.Analytics;

/// <summary>
/// One portal with the real 2008–2016 MPS extract and the ONS populations imported, shared by the analytics tests, and
/// an independent reading of the same file to compute what the portal should say. Without ../shared/data (and not
/// under CI) the fixture loads nothing and every test using it reports itself skipped with the reason, on its first
/// touch of the portal or the file.
/// </summary>
public sealed class RealDataPortal : IAsyncLifetime
{
    public const string Historic = "mps/mps-borough-level-crime-historic-2008-2016.csv";
    public const string Populations = "population/london-borough-population-density-1999-2050.csv";

    private readonly PortalFactory factory = new();
    private ExtractFile file = null!;
    private HttpClient board = null!;

    public PortalFactory Factory => Loaded(factory);
    public ExtractFile File => Loaded(file);
    public HttpClient Board => Loaded(board);

    /// <summary>The value, once the real data is there; otherwise the calling test is skipped (failed under CI=true).</summary>
    private static T Loaded<T>(T value)
    {
        TestEnvironment.Require(TestEnvironment.DataVariable, "needs the real data in ../shared/data");
        return value;
    }

    public async ValueTask InitializeAsync()
    {
        // A fixture cannot skip: with no data, it loads nothing and leaves the skipping to each test.
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestEnvironment.DataVariable)) && !TestEnvironment.IsCi) return;
        var extract = TestEnvironment.DataFile(Historic);
        var populations = TestEnvironment.DataFile(Populations);
        file = ExtractFile.ReadWide(extract);
        await ImportTests.ImportAsync(factory, extract);
        var (exit, _, err) = await factory.RunCliAsync("import-population", populations);
        exit.Should().Be(0, err);
        board = await factory.SignedInClientAsync("Board");
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    /// <summary>A borough's total of every row of the file (total notifiable offences) per month, as the file prints it.</summary>
    public Dictionary<int, int> MonthlyTotals(string borough) => File.Counts
        .Where(c => c.Key.Area == borough)
        .GroupBy(c => c.Key.Month)
        .ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    /// <summary>
    /// The command line's JSON from the real executable in a process of its own (not the in-process entry point the
    /// other suites use), so that comparing it with the API's answer over HTTP compares two programs, not one code path.
    /// </summary>
    public async Task<JsonNode> CliJsonAsync(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Factory.WorkDirectory,
        };
        info.ArgumentList.Add(ImportKillTests.WebDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in Factory.Settings) info.Environment[key.Replace(":", "__")] = value;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.Should().Be(0, await stderr);
        return JsonNode.Parse(await stdout)!;
    }

    public async Task<JsonNode> ApiJsonAsync(string path)
    {
        var response = await Board.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>The two JSON documents are the same, field by field.</summary>
    public static void SameRecord(JsonNode cli, JsonNode api) =>
        JsonNode.DeepEquals(cli, api).Should().BeTrue($"the CLI printed\n{cli.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}\nand the API answered\n{api.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
}

[CollectionDefinition(nameof(RealDataPortal))]
public sealed class RealDataCollection : ICollectionFixture<RealDataPortal>;
