using System.Net;
using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// Reports and report pages are kept until the data changes: any change a report reads (through the forms, the
/// services, another instance's import) gives the database a new stamp and the next page shows the change. A kept page
/// is never served to another user or role.
/// </summary>
public sealed class ReportCacheTests : IAsyncLifetime
{
    private const string Page = "/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1";
    private readonly PortalFactory factory = new();
    private HttpClient board = null!;

    public async ValueTask InitializeAsync() => board = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task A_kept_page_is_served_again_until_a_target_is_changed_through_the_form()
    {
        var first = await board.GetStringAsync(Page);
        (await board.GetStringAsync(Page)).Should().Be(first, "nothing changed");
        first.Should().Contain("__RequestVerificationToken");
        WithoutTokens(first).Should().NotContain("CfDJ8", "the comparisons below see the data, not the anti-forgery tokens");
        first.Should().NotContain("-7.7%");

        var analyst = await factory.SignedInClientAsync("Analyst");
        var id = Db(db => db.Targets.Include(t => t.Measure).First(t => t.Measure!.Code == "serious-acquisitive-crime").Id);
        var target = Db(db => db.Targets.Single(t => t.Id == id));
        var response = await Forms.PostAsync(analyst, $"/targets/{id}/edit", $"/targets/{id}/edit", new()
        {
            ["Target.Measure"] = "serious-acquisitive-crime", ["Target.FinancialYear"] = target.FinancialYear.ToString(),
            ["Target.Form"] = target.Form.ToString(), ["Target.Value"] = "-7.7", ["Target.AsPrinted"] = "-7.7%", ["Target.Set"] = target.Set,
        });
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        var targets = await board.GetStringAsync("/priorities/serious-acquisitive-crime/targets.csv?year=2009/10&toMonth=1");
        targets.Should().Contain("-7.7%");
        (await board.GetStringAsync(Page)).Should().Contain("-7.7%");
    }

    public static TheoryData<string> Changes => ["figure", "population", "measure", "mapping", "rollback", "action update"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Every_kind_of_change_reaches_the_kept_report(string change)
    {
        if (change is "mapping" or "rollback" or "population") await ReportFixture.ImportAsync(factory);
        var before = await board.GetStringAsync(Page);
        var csvBefore = await board.GetStringAsync("/priorities/serious-acquisitive-crime/measures.csv?year=2009/10&toMonth=1");
        var apiBefore = await board.GetStringAsync("/api/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1");

        string expected;
        switch (change)
        {
            case "figure":
                Db(db =>
                {
                    var m = db.Measures.Single(x => x.Code == "serious-acquisitive-crime");
                    var area = db.Plans.Select(p => p.HomeAreaId).First();
                    db.Figures.Add(new Figure { MeasureId = m.Id, AreaId = area, From = new(2009, 4), To = new(2010, 1), Value = 2999, Source = FigureSource.Manual, SourceNote = "test" });
                    return db.SaveChanges();
                });
                expected = "2,999";
                break;
            case "population":
                // Rates follow the population: Kensington and Chelsea's 2009 estimate halves, so its rate doubles.
                var rateBefore = Regex.Match(before, "data-measure=\"serious-acquisitive-crime-rate\">(?s:.*?)</tr>").Value;
                Db(db =>
                {
                    var area = db.Plans.Select(p => p.HomeAreaId).First();
                    foreach (var p in db.Populations.Where(p => p.AreaId == area)) p.Value /= 2;
                    return db.SaveChanges();
                });
                var rateAfter = Regex.Match(await board.GetStringAsync(Page), "data-measure=\"serious-acquisitive-crime-rate\">(?s:.*?)</tr>").Value;
                rateAfter.Should().NotBe(rateBefore);
                return;
            case "measure":
                Db(db =>
                {
                    db.Measures.Single(m => m.Code == "personal-robbery").Name = "Robbery of the person (renamed)";
                    return db.SaveChanges();
                });
                expected = "Robbery of the person (renamed)";
                break;
            case "mapping":
                Db(db =>
                {
                    var personal = db.CrimeCategories.Single(c => c.Code == "personal-robbery");
                    foreach (var alias in db.CategoryAliases.Where(a => a.CategoryId == personal.Id)) alias.CategoryId = null;
                    return db.SaveChanges();
                });
                // Unmapping does not recompute stored values by itself, but it changes what the banner says. Compared
                // without the anti-forgery tokens, which differ from one rendering to the next whatever the data.
                WithoutTokens(await board.GetStringAsync(Page)).Should().NotBe(WithoutTokens(before));
                return;
            case "rollback":
                using (var scope = factory.Services.CreateScope())
                {
                    var id = scope.ServiceProvider.GetRequiredService<KcCspDbContext>().CrimeImports.Max(i => i.Id);
                    await scope.ServiceProvider.GetRequiredService<ImportHistory>().RollBackAsync(id, "test");
                }
                before.Should().Contain("imported");
                WithoutTokens(await board.GetStringAsync(Page)).Should().NotBe(WithoutTokens(before)).And.Contain(">published<");
                return;
            default:
                Db(db =>
                {
                    var action = db.Actions.Include(a => a.Priority).First(a => a.Priority!.Code == "serious-acquisitive-crime");
                    db.ActionUpdates.Add(new ActionUpdate { ActionId = action.Id, Date = new(2010, 6, 1), Status = ActionStatus.OnTrack, PercentComplete = 40, Commentary = "Kept pages renew", AuthorName = "Test", CreatedAt = DateTimeOffset.UtcNow });
                    return db.SaveChanges();
                });
                expected = "Kept pages renew";
                break;
        }
        before.Should().NotContain(expected);
        (await board.GetStringAsync(Page)).Should().Contain(expected);
        if (change == "figure")
        {
            csvBefore.Should().NotContain("2999");
            (await board.GetStringAsync("/priorities/serious-acquisitive-crime/measures.csv?year=2009/10&toMonth=1")).Should().NotBe(csvBefore).And.Contain("2999");
            apiBefore.Should().NotContain("2999");
            (await board.GetStringAsync("/api/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1")).Should().NotBe(apiBefore).And.Contain("2999");
        }
    }

    [Fact]
    public async Task A_change_made_by_another_instance_reaches_this_one_through_the_stamp_in_the_database()
    {
        var before = await board.GetStringAsync(Page);
        before.Should().NotContain("fixture-extract.csv");

        // The CLI is another process in production: its own host, its own caches, the same database.
        await ReportFixture.ImportAsync(factory);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string now;
        do
        {
            await Task.Delay(200);
            now = await board.GetStringAsync(Page);
        }
        while (!now.Contains("imported") && DateTime.UtcNow < deadline);
        now.Should().Contain(">imported<", "the web instance re-reads the stamp at least once a second");
    }

    [Fact]
    public async Task A_kept_page_is_never_served_to_another_user_or_role()
    {
        var analyst = await factory.SignedInClientAsync("Analyst");
        var admin = await factory.SignedInClientAsync("Admin");
        var secondBoardSession = await factory.SignedInClientAsync("Board");

        var asBoard = await board.GetStringAsync(Page);
        var asAnalyst = await analyst.GetStringAsync(Page);
        var asAdmin = await admin.GetStringAsync(Page);
        (await board.GetStringAsync(Page)).Should().Be(asBoard);

        SignedInAs(asBoard).Should().Be(PortalFactory.DemoEmail("Board"));
        SignedInAs(asAnalyst).Should().Be(PortalFactory.DemoEmail("Analyst"));
        SignedInAs(asAdmin).Should().Be(PortalFactory.DemoEmail("Admin"));
        asBoard.Should().NotContain("href=\"/figures\"").And.NotContain("Add an action");
        asAnalyst.Should().Contain("href=\"/figures\"").And.Contain("Add an action").And.NotContain("href=\"/admin/audit\"");
        asAdmin.Should().Contain("href=\"/admin/audit\"");

        // The same user in another session gets a page whose sign-out form works with that session's cookie.
        var second = await secondBoardSession.GetStringAsync(Page);
        Forms.Token(second).Should().NotBe(Forms.Token(asBoard));
        var signOut = await secondBoardSession.PostAsync("/sign-out", new FormUrlEncodedContent([new("__RequestVerificationToken", Forms.Token(second))]));
        signOut.StatusCode.Should().Be(HttpStatusCode.OK);
        signOut.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/sign-in");

        // Signed out, the kept page is not served: the sign-in page is.
        var after = await secondBoardSession.GetAsync(Page);
        after.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/sign-in");
    }

    [Fact]
    public async Task A_population_load_is_audited_with_who_and_what_it_changed()
    {
        await ReportFixture.ImportAsync(factory);
        var entry = Db(db => db.AuditEntries.Single(a => a.Entity == nameof(Population)));
        entry.User.Should().Be("cli");
        entry.Action.Should().Be("loaded");
        entry.Key.Should().Be("fixture-population.csv");
        using var after = System.Text.Json.JsonDocument.Parse(entry.After!);
        after.RootElement.GetProperty("added").GetInt32().Should().Be(Db(db => db.Populations.Count()));
        after.RootElement.GetProperty("boroughs").GetInt32().Should().Be(33);
    }

    /// <summary>The page without its anti-forgery tokens, which change between renderings whatever the data says.</summary>
    private static string WithoutTokens(string html) =>
        Regex.Replace(html, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*>", m => Regex.Replace(m.Value, "value=\"[^\"]*\"", "value=\"\""));

    private static string SignedInAs(string html) => Regex.Match(html, "data-signed-in=\"([^\"]+)\"").Groups[1].Value;

    private T Db<T>(Func<KcCspDbContext, T> use)
    {
        using var scope = factory.Services.CreateScope();
        return use(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }
}
