using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using KcCsp.Web.Tests.Importing;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests.SmallAreas;

/// <summary>
/// The priority page's "Where" section in Chromium, with a real ward release imported: the ward map is drawn from the
/// portal's own boundaries (every ward shaded, a legend), the table carries the same figures as `hotspots --json`, the
/// rest of the wards are a click away, and axe finds no WCAG A/AA violation.
/// </summary>
public sealed class WardMapBrowserTests
{
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    [Fact]
    public async Task The_priority_page_shows_a_ward_map_and_table_with_the_files_figures_and_passes_axe()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await BrowserTests.StartAsync();
        await using var _ = factory;
        await ImportTests.ImportAsync(factory, RealFileTests.PathOf("RealFiles/mps/ward-2024-02-to-2026-01-kc.csv"));
        var (exit, stdout, stderr) = await factory.RunCliAsync("hotspots", "serious-acquisitive-crime", "--area", "Kensington and Chelsea", "--year", "2025/26", "--to-month", "1", "--json");
        exit.Should().Be(0, stderr);
        var expected = JsonDocument.Parse(stdout).RootElement.GetProperty("wards").EnumerateArray()
            .Select(w => (w.GetProperty("code").GetString()!, w.GetProperty("value").GetInt64())).ToList();
        expected.Should().HaveCount(18);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright, chromium);
        var page = await BrowserTests.NewPageAsync(browser);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.SetViewportSizeAsync(1280, 1600);
        await BrowserTests.SignInAsync(page, baseUrl, "board@kccsp.local");
        await page.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime?year=2025/26&toMonth=1");

        var map = page.Locator("#hotspots-serious-acquisitive-crime [data-ward-map]");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-map-drawn", "18");
        (await map.Locator("path.leaflet-interactive").CountAsync()).Should().Be(18, "every ward is drawn from the boundaries");
        (await map.Locator(".map-legend .swatch").CountAsync()).Should().Be(5);
        (await page.Locator("img.leaflet-tile").CountAsync()).Should().Be(0, "no map tiles: nothing is fetched from elsewhere");

        // The table: the ten largest, then the rest behind "The other 8 wards", in the order and with the values of the CLI.
        var shown = await page.Locator("#hotspots-serious-acquisitive-crime tr[data-ward]").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.ward, r.cells[0].textContent.replace(/,/g, '')])");
        shown.Should().HaveCount(18);
        shown.Select(r => r[0]).Should().Equal(expected.Select(e => e.Item1));
        var firstTable = page.Locator("#hotspots-serious-acquisitive-crime table[data-hotspot-table] tr[data-ward]");
        (await firstTable.CountAsync()).Should().Be(10);
        await page.ClickAsync("#hotspots-serious-acquisitive-crime details[data-hotspot-rest] summary");
        var values = await page.Locator("#hotspots-serious-acquisitive-crime tr[data-ward] td:nth-of-type(1)").AllInnerTextsAsync();
        values.Select(v => long.Parse(v.Replace(",", "", StringComparison.Ordinal))).Should().Equal(expected.Select(e => e.Item2));

        AxeResult axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        axe.Passes.Should().NotBeEmpty();
        axe.Violations.SelectMany(v => v.Nodes.Select(n => $"{v.Id} — {v.Help}: {n.Target} {n.Html}")).Should().BeEmpty();
        errors.Should().BeEmpty();

        if (Environment.GetEnvironmentVariable("KCCSP_SCREENSHOTS") is { Length: > 0 } folder)
            await page.Locator("#hotspots-serious-acquisitive-crime").ScreenshotAsync(new() { Path = Path.Combine(folder, "hotspots.png") });
    }
}
