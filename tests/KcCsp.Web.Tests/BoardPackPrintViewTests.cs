using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests;

/// <summary>The whole-pack print view in Chromium's print mode: every priority from a new A4 page, charts drawn, no navigation.</summary>
public sealed class BoardPackPrintViewTests
{
    [Fact]
    public async Task The_whole_pack_prints_with_a_page_break_before_each_priority()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await BrowserTests.StartAsync();
        await using var _ = factory;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright, chromium);
        var page = await BrowserTests.NewPageAsync(browser);
        await BrowserTests.SignInAsync(page, baseUrl, "board@kccsp.local");
        await page.GotoAsync(baseUrl + "/board-pack/print?year=2009/10&toMonth=1");
        var sections = page.Locator("[data-pack-priority]");
        (await sections.CountAsync()).Should().Be(7);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.chartDrawn === 'true')");
        (await page.Locator("canvas[data-chart]").CountAsync()).Should().BeGreaterThan(7);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        (await page.Locator(".site-header").First.EvaluateAsync<string>("e => getComputedStyle(e).display")).Should().Be("none");
        (await sections.EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).breakBefore)")).Should().OnlyContain(b => b == "page");

        var pdf = Encoding.Latin1.GetString(await page.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true }));
        var pages = Regex.Matches(pdf, @"/Type\s*/Page\b").Count;
        // The cover, then at least one page per priority, each starting on its own.
        pages.Should().BeInRange(8, 40);
        var boxes = Regex.Matches(pdf, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]").Select(m => (W: double.Parse(m.Groups[1].Value), H: double.Parse(m.Groups[2].Value))).ToList();
        boxes.Should().NotBeEmpty().And.OnlyContain(b => Math.Abs(b.W - 595) < 2 && Math.Abs(b.H - 842) < 2);
    }
}
