using System.Net;
using System.Text.Json;
using FluentAssertions;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KcCsp.Web.Tests.Partnerships;

/// <summary>
/// Two partnerships in one portal: each user reaches the plans they belong to, and nobody reads or changes another
/// partnership's unpublished figures, actions or analysis — by page, form, download, API or command line, by code or by id.
/// The second plan is Westminster's, made here with a measure whose code K&amp;C's plan also uses.
/// </summary>
public sealed class PartnershipIsolationTests : IAsyncLifetime
{
    private const string Password = "Partner-pass-2024!";
    private readonly PortalFactory factory = new();
    private int kcActionId, otherActionId, kcFigureId, otherFigureId;

    public async ValueTask InitializeAsync()
    {
        _ = factory.Server;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var westminster = await db.Areas.SingleAsync(a => a.Name == "Westminster");
            var plan = new Plan
            {
                Code = "wm-test", Title = "Westminster test plan", Partnership = "Westminster test partnership", Years = "2024-2027",
                ReportingYear = new FinancialYear(2009), ReportingToMonth = 1, HomeAreaId = westminster.Id,
            };
            var priority = new Priority { Plan = plan, Code = "westminster-only", Title = "Westminster's own priority", Aim = "An aim only Westminster has", SortOrder = 1 };
            // The same code as K&C's measure: codes are unique per plan, not across the portal.
            var measure = new Measure
            {
                Plan = plan, Priority = priority, Code = "domestic-violence", Name = "Westminster domestic abuse incidents",
                Unit = MeasureUnit.Count, Polarity = Polarity.LowerIsBetter, Source = MeasureSource.Manual, SortOrder = 1, IsHeadline = true,
            };
            var action = new PlanAction { Priority = priority, Text = "Westminster's confidential action", LeadAgency = "Police", FinancialYear = new FinancialYear(2009) };
            var figure = new Figure
            {
                Measure = measure, AreaId = westminster.Id, From = new YearMonth(2009, 4), To = new YearMonth(2010, 1), Value = 4321,
                Source = FigureSource.Manual, SourceNote = "Westminster's unpublished figure", EnteredAt = DateTimeOffset.UnixEpoch,
            };
            db.AddRange(plan, priority, measure, action, figure);
            await db.SaveChangesAsync();
            (otherActionId, otherFigureId) = (action.Id, figure.Id);
            var kc = await db.Plans.SingleAsync(p => p.Code == "kc-2010-2013");
            kcActionId = await db.Actions.Where(a => a.Priority!.PlanId == kc.Id).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            var kcMeasure = await db.Measures.SingleAsync(m => m.PlanId == kc.Id && m.Code == "domestic-violence");
            var kcFigure = new Figure
            {
                MeasureId = kcMeasure.Id, AreaId = kc.HomeAreaId, From = new YearMonth(2009, 4), To = new YearMonth(2010, 1), Value = 1234,
                Source = FigureSource.Manual, SourceNote = "K&C's unpublished figure", EnteredAt = DateTimeOffset.UnixEpoch,
            };
            db.Figures.Add(kcFigure);
            await db.SaveChangesAsync();
            kcFigureId = kcFigure.Id;
        }
        foreach (var (email, role, plans) in new[] { ("wm-analyst@example.org", "Analyst", "wm-test"), ("both@example.org", "Board", "kc-2010-2013,wm-test") })
        {
            var (exit, _, err) = await factory.RunCliWithInputAsync(Password + "\n", "create-user", "--email", email, "--role", role, "--password-stdin", "--plan", plans);
            exit.Should().Be(0, err);
        }
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private Task<HttpClient> ClientAsync(string email) => factory.SignedInAsAsync(email, Password, followRedirects: false);

    [Fact]
    public async Task A_member_of_one_partnership_sees_its_plan_and_cannot_reach_the_other()
    {
        var wm = await ClientAsync("wm-analyst@example.org");
        var home = await wm.GetStringAsync("/");
        home.Should().Contain("Westminster&#x27;s own priority").And.NotContain("Domestic violence");

        (await wm.GetAsync("/?plan=kc-2010-2013")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await wm.GetAsync("/api/measures?plan=kc-2010-2013")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await wm.GetAsync("/?plan=no-such-plan")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        // K&C's records by id: as if they did not exist.
        (await wm.GetAsync($"/actions/{kcActionId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await wm.GetAsync($"/figures/{kcFigureId}/edit")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var token = await Forms.TokenAsync(wm, "/figures");
        var delete = await wm.PostAsync($"/figures/{kcFigureId}/delete", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        delete.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await wm.GetAsync("/priorities/serious-acquisitive-crime")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await wm.GetStringAsync("/figures")).Should().NotContain("K&amp;C&#x27;s unpublished figure").And.Contain("Westminster");
        (await wm.GetStringAsync("/api/actions")).Should().NotContain("Westminster's confidential action".Replace("'", "x"))
            .And.Contain("confidential action");

        // The shared code answers with this partnership's own measure.
        using var measure = JsonDocument.Parse(await wm.GetStringAsync("/api/measures/domestic-violence"));
        measure.RootElement.GetRawText().Should().Contain("Westminster domestic abuse incidents");

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.Figures.IgnoreQueryFilters().AnyAsync(f => f.Id == kcFigureId)).Should().BeTrue("a refused delete changes nothing");
    }

    [Fact]
    public async Task A_member_of_both_switches_with_the_picker_and_each_page_shows_one_plan()
    {
        var both = await ClientAsync("both@example.org");
        var kcHome = await both.GetStringAsync("/");
        kcHome.Should().Contain("Domestic violence").And.NotContain("Westminster&#x27;s own priority").And.Contain("/plans");
        // A link with ?plan= switches the pages that follow to that plan (its links carry no plan); the picker switches back.
        var linked = await both.GetAsync("/?plan=wm-test");
        (await linked.Content.ReadAsStringAsync()).Should().Contain("Westminster&#x27;s own priority");
        var remembered = linked.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp-plan=", StringComparison.Ordinal));
        remembered.Should().StartWith("kccsp-plan=wm-test;");

        var token = await Forms.TokenAsync(both, "/plans");
        var chose = await both.PostAsync("/plans/choose", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("code", "wm-test")]));
        chose.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var cookie = chose.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp-plan=", StringComparison.Ordinal));
        both.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        (await both.GetStringAsync("/")).Should().Contain("Westminster&#x27;s own priority").And.NotContain("Domestic violence");
        (await both.GetAsync($"/actions/{kcActionId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await both.GetAsync($"/actions/{otherActionId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await both.GetAsync($"/actions/{kcActionId}?plan=kc-2010-2013")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_board_member_of_kc_only_cannot_choose_the_other_plan()
    {
        var board = await factory.SignedInClientAsync("Board", followRedirects: false);
        (await board.GetAsync("/?plan=wm-test")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await board.GetAsync($"/actions/{otherActionId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var token = await Forms.TokenAsync(board, "/plans");
        var chose = await board.PostAsync("/plans/choose", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("code", "wm-test")]));
        chose.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await board.GetStringAsync("/")).Should().NotContain("/plans\"", "one plan: no picker");
    }

    [Fact]
    public async Task An_upload_by_one_partnership_s_analyst_recomputes_every_plan_s_measures()
    {
        var wm = await factory.SignedInAsAsync("wm-analyst@example.org", Password);
        var page = await wm.GetStringAsync("/imports");
        var form = new MultipartFormDataContent { { new StringContent(Forms.Token(page)), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(
            "Borough,Major Category,Minor Category,200904,200905\r\n" +
            "Kensington and Chelsea,Burglary,Burglary in a Dwelling,10,12\r\n")), "file", "extract.csv");
        (await wm.PostAsync("/imports", form)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The upload ran in the Westminster analyst's request, scoped to Westminster's plan; K&C's measures count it too.
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var kc = await db.Plans.SingleAsync(p => p.Code == "kc-2010-2013");
        var values = await db.MeasureMonthValues.Where(v => v.AreaId == kc.HomeAreaId)
            .Join(db.Measures.IgnoreQueryFilters().Where(m => m.PlanId == kc.Id), v => v.MeasureId, m => m.Id, (v, m) => new { m.Code, v.Month, v.Value })
            .ToListAsync();
        values.Should().Contain(v => v.Code == "residential-burglary" && v.Month == new YearMonth(2009, 4) && v.Value == 10)
            .And.Contain(v => v.Code == "total-notifiable-offences" && v.Month == new YearMonth(2009, 5) && v.Value == 12);
    }

    [Fact]
    public async Task The_command_line_reads_the_plan_asked_for()
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", "domestic-violence", "--area", "Westminster", "--year", "2009/10", "--to-month", "1", "--plan", "wm-test", "--json");
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("Westminster domestic abuse incidents").And.Contain("4321");
        (exit, stdout, _) = await factory.RunCliAsync("measure", "domestic-violence", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
        exit.Should().Be(0);
        stdout.Should().NotContain("Westminster domestic abuse incidents");
        (exit, _, stderr) = await factory.RunCliAsync("measure", "domestic-violence", "--area", "Westminster", "--year", "2009/10", "--to-month", "1", "--plan", "nope");
        exit.Should().Be(2);
        stderr.Should().Contain("There is no plan with the code 'nope'").And.Contain("kc-2010-2013").And.Contain("wm-test");
    }
}
