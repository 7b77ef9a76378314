using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests;

/// <summary>A priority page printed by Chromium: A4, without navigation, with its table, chart and actions.</summary>
public sealed class PrintTests
{
    [Fact]
    public async Task Priority_page_prints_on_A4_without_navigation()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await BrowserTests.StartAsync();
        await using var _ = factory;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright, chromium);
        var page = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(page, baseUrl, "board@kccsp.local");
        await page.GotoAsync(baseUrl + "/priorities/serious-acquisitive-crime");
        await Assertions.Expect(page.Locator("#chart-serious-acquisitive-crime")).ToHaveAttributeAsync("data-chart-drawn", "true");

        await page.EmulateMediaAsync(new() { Media = Media.Print });

        (await Display(page, ".site-header")).Should().Be("none");
        (await Display(page, ".site-footer")).Should().Be("none");
        (await Display(page, ".breadcrumbs")).Should().Be("none");
        (await page.Locator(".download").EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).display)")).Should().OnlyContain(d => d == "none");
        (await Display(page, "table.measures")).Should().NotBe("none");
        (await Display(page, "#chart-serious-acquisitive-crime")).Should().NotBe("none");
        await Assertions.Expect(page.Locator("table.actions")).ToHaveCountAsync(4);
        (await Display(page, "table.actions >> nth=0")).Should().NotBe("none");

        var pdf = await page.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true });

        var text = Encoding.Latin1.GetString(pdf);
        var pages = Regex.Matches(text, @"/Type\s*/Page\b").Count;
        pages.Should().BeInRange(2, 6, "a priority page prints on a few A4 pages");
        // A4 is 595 x 842 points; Chromium writes each page's MediaBox.
        var boxes = Regex.Matches(text, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]").Select(m => (W: double.Parse(m.Groups[1].Value), H: double.Parse(m.Groups[2].Value))).ToList();
        boxes.Should().NotBeEmpty().And.OnlyContain(b => Math.Abs(b.W - 595) < 2 && Math.Abs(b.H - 842) < 2);
    }

    private static Task<string> Display(IPage page, string selector) =>
        page.Locator(selector).First.EvaluateAsync<string>("e => getComputedStyle(e).display");
}
