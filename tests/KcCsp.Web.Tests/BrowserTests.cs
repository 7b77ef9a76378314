using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KcCsp.Web.Tests;

/// <summary>The portal on a real Kestrel port, driven by Debian's Chromium, as a board member would see it.</summary>
public sealed class BrowserTests
{
    internal static async Task<(PortalFactory Factory, string BaseUrl)> StartAsync()
    {
        var factory = new PortalFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (factory, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>A page with generous timeouts: these machines are shared and slow under load; the checks are about behaviour, not speed.</summary>
    internal static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        return page;
    }

    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright, string chromium) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>Signs in through the form, as a person would, and lands on the home page.</summary>
    internal static async Task SignInAsync(IPage page, string baseUrl, string email, string password = PortalFactory.DemoPassword)
    {
        await page.GotoAsync(baseUrl + "/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        await page.FillAsync("input[name=Email]", email);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
    }

    [Fact]
    public async Task Priority_page_draws_its_charts_without_script_errors()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await StartAsync();
        await using var _ = factory;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright, chromium);
        var page = await NewPageAsync(browser);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        await SignInAsync(page, baseUrl, "board@kccsp.local");
        // Retrying: the cards may not be there yet right after sign-in's redirect.
        await Assertions.Expect(page.Locator("[data-priority]")).ToHaveCountAsync(7);
        await page.ClickAsync("text=Serious acquisitive crime >> nth=0");
        // A retrying assertion on the address, not a wait for the load event: under load that event can be missed.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/priorities/serious-acquisitive-crime\\?year="));

        var canvas = page.Locator("#chart-serious-acquisitive-crime");
        await Assertions.Expect(canvas).ToHaveAttributeAsync("data-chart-drawn", "true");
        // Chart.js drew bars: the canvas has coloured pixels, not only a blank surface.
        var inked = await canvas.EvaluateAsync<int>("c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
        inked.Should().BeGreaterThan(500);
        errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Officer_posts_an_update_through_the_forms_with_no_content_security_policy_violations()
    {
        var chromium = TestEnvironment.ChromiumPath();
        var (factory, baseUrl) = await StartAsync();
        await using var _ = factory;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright, chromium);
        var page = await NewPageAsync(browser);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        await SignInAsync(page, baseUrl, "officer@kccsp.local");
        await page.ClickAsync("text=My actions");
        await page.ClickAsync("[data-action] a >> nth=0");
        await page.SelectOptionAsync("select[name='NewUpdate.Status']", "OnTrack");
        await page.FillAsync("input[name='NewUpdate.PercentComplete']", "30");
        await page.FillAsync("textarea[name='NewUpdate.Commentary']", "Briefed every ward panel");
        await page.ClickAsync("text=Post update");
        await Assertions.Expect(page.Locator("[data-update]").First).ToContainTextAsync("Briefed every ward panel");
        await page.ClickAsync("text=Sign out");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in$"));
        errors.Should().BeEmpty();
    }
}
