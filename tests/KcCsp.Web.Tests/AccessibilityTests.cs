using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over every page of the portal, as each role sees it, in Chromium: no violation
/// of WCAG 2.0, 2.1 or 2.2 at levels A and AA. The jobs dashboard (/jobs) is Hangfire's own and is not checked.
/// </summary>
public sealed class AccessibilityTests
{
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    private static async Task<List<string>> ViolationsAsync(IPage page, string baseUrl, string path)
    {
        var response = await page.GotoAsync(baseUrl + path);
        response.Should().NotBeNull();
        var status = response!.Status;
        // Charts are drawn after load; wait for them so axe sees the page as a reader does.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.chartDrawn === 'true')");
        AxeResult result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        // axe ran its rules here (a page it could not read would pass nothing).
        result.Passes.Should().NotBeEmpty(path);
        var found = result.Violations.SelectMany(v => v.Nodes.Select(n => $"{path} ({status}): {v.Id} — {v.Help}: {n.Target} {n.Html}")).ToList();
        if (status != (path.StartsWith("/error/404", StringComparison.Ordinal) ? 404 : 200)) found.Add($"{path}: HTTP {status}");
        return found;
    }

    [Fact]
    public async Task Every_page_has_no_WCAG_A_or_AA_violations()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await BrowserTests.StartAsync();
        await using var _ = factory;

        // An import with a category nobody has mapped: the import report and the banner on every page are checked too.
        var extract = Path.Combine(factory.WorkDirectory, "a11y-extract.csv");
        await File.WriteAllTextAsync(extract,
            "Borough,Major Category,Minor Category,200904,200905\r\n" +
            "Kensington and Chelsea,Burglary,Burglary in a Dwelling,80,75\r\n" +
            "Kensington and Chelsea,Other Notifiable Offences,A category nobody has mapped,3,4\r\n");
        var (exit, _, err) = await factory.RunCliAsync("import", extract);
        exit.Should().Be(0, err);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright, chromium);
        var violations = new List<string>();

        var anonymous = await BrowserTests.NewPageAsync(browser);
        // The check can fail: an image without a text alternative on the sign-in page is reported.
        await anonymous.GotoAsync(baseUrl + "/sign-in");
        await anonymous.EvaluateAsync("() => document.querySelector('main').appendChild(Object.assign(document.createElement('img'), { src: '/favicon.ico' }))");
        var planted = await anonymous.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        planted.Violations.Select(v => v.Id).Should().Contain("image-alt");

        foreach (var path in new[] { "/sign-in", "/error/404" })
            violations.AddRange(await ViolationsAsync(anonymous, baseUrl, path));

        var board = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(board, baseUrl, "board@kccsp.local");
        var priorities = await board.Locator("a[href^='/priorities/']").EvaluateAllAsync<string[]>(
            "links => [...new Set(links.map(a => new URL(a.href).pathname))]");
        priorities.Should().HaveCount(7);
        foreach (var path in new[] { "/", "/?year=2009/10&toMonth=1", "/board-pack/print", "/actions/1", "/my-actions", "/api-tokens", "/plans" }.Concat(priorities))
            violations.AddRange(await ViolationsAsync(board, baseUrl, path));

        var analyst = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(analyst, baseUrl, "analyst@kccsp.local");
        foreach (var path in new[]
                 {
                     "/figures", "/figures/upload", "/targets", "/targets/1/edit", "/measures", "/measures/1/edit", "/peer-groups",
                     "/peer-groups/1/edit", "/imports", "/imports/1", "/categories", "/actions/new", "/actions/1/edit",
                     "/priorities/serious-acquisitive-crime?year=2009/10&toMonth=5", "/priorities/serious-acquisitive-crime/analysis?from=2009-04&to=2009-05",
                 })
            violations.AddRange(await ViolationsAsync(analyst, baseUrl, path));

        var officer = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(officer, baseUrl, "officer@kccsp.local");
        violations.AddRange(await ViolationsAsync(officer, baseUrl, "/my-actions"));

        var admin = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(admin, baseUrl, "admin@kccsp.local");
        foreach (var path in new[] { "/admin/users", "/admin/audit" })
            violations.AddRange(await ViolationsAsync(admin, baseUrl, path));

        violations.Should().BeEmpty();
    }
}
