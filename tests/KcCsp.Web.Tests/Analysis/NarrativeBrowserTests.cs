using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using KcCsp.Web.Tests.Analytics;
using KcCsp.Web.Tests.Importing;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests.Analysis;

/// <summary>
/// In Chromium, with the real 2008–2016 extract: an analyst reads the draft on the priority page, opens the editor,
/// edits and publishes; a board member then reads the published text and no draft. axe checks every page on the way.
/// With KCCSP_SCREENSHOTS set to a folder, the pages are saved there (the README's images).
/// </summary>
public sealed class NarrativeBrowserTests
{
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    private static async Task NoViolationsAsync(IPage page)
    {
        AxeResult result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        result.Passes.Should().NotBeEmpty();
        result.Violations.SelectMany(v => v.Nodes.Select(n => $"{page.Url}: {v.Id} — {v.Help}: {n.Target} {n.Html}")).Should().BeEmpty();
    }

    private static async Task ShotAsync(ILocator what, string name)
    {
        if (Environment.GetEnvironmentVariable("KCCSP_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await what.ScreenshotAsync(new() { Path = Path.Combine(folder, name) });
    }

    [Fact]
    public async Task An_analyst_edits_and_publishes_the_draft_and_the_board_reads_it()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var extract = TestEnvironment.DataFile(RealDataPortal.Historic);
        var (factory, baseUrl) = await BrowserTests.StartAsync();
        await using var _ = factory;
        await ImportTests.ImportAsync(factory, extract);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright, chromium);
        var analyst = await BrowserTests.NewPageAsync(browser);
        var errors = new List<string>();
        analyst.PageError += (_, e) => errors.Add(e);
        await analyst.SetViewportSizeAsync(1280, 900);
        await BrowserTests.SignInAsync(analyst, baseUrl, "analyst@kccsp.local");

        await analyst.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1");
        var draft = analyst.Locator("[data-draft]");
        await Assertions.Expect(draft).ToContainTextAsync("Serious acquisitive crime accounted for 17.3% of total notifiable offences");
        await NoViolationsAsync(analyst);

        await analyst.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime/analysis?from=2008-04&to=2010-01");
        await Assertions.Expect(analyst.Locator("[data-draft]")).ToContainTextAsync("6,864 offences were recorded");
        await NoViolationsAsync(analyst);
        var text = analyst.Locator("#analysis-text");
        var drafted = await text.InputValueAsync();
        drafted.Should().Contain("46.3% were theft from motor vehicle (3,178)");
        await text.FillAsync(drafted + "\n\nThe partnership's own note: the plan printed 16.2%; the data says 17.4%.");
        await ShotAsync(analyst.Locator("main"), "analysis-edit.png");
        await analyst.ClickAsync("button:has-text('Publish')");
        await Assertions.Expect(analyst.Locator("[data-message]")).ToContainTextAsync("Published the analysis of Serious acquisitive crime");
        await Assertions.Expect(analyst.Locator("[data-version]")).ToHaveCountAsync(1);
        await Assertions.Expect(analyst.Locator("[data-published-analysis]")).ToContainTextAsync("the data says 17.4%");
        await NoViolationsAsync(analyst);

        var board = await BrowserTests.NewPageAsync(browser);
        await board.SetViewportSizeAsync(1280, 900);
        await BrowserTests.SignInAsync(board, baseUrl, "board@kccsp.local");
        await board.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1");
        var published = board.Locator("[data-published-analysis]");
        await Assertions.Expect(published).ToContainTextAsync("the data says 17.4%");
        await Assertions.Expect(published).ToContainTextAsync("by analyst@kccsp.local, for April 2008 – January 2010");
        await Assertions.Expect(board.Locator("[data-draft]")).ToHaveCountAsync(0);
        await board.ClickAsync("#analysis summary:has-text('Where the')");
        await ShotAsync(board.Locator("#analysis"), "analysis-published.png");
        await NoViolationsAsync(board);
        (await board.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime/analysis"))!.Status.Should().Be(403);
        errors.Should().BeEmpty();
    }
}
