using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>Analysts' figures, targets and measures feed the tables and statuses, and every change is in the audit trail.</summary>
public sealed class ManualFiguresTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient analyst = null!;

    public async ValueTask InitializeAsync() => analyst = await factory.SignedInClientAsync(Roles.Analyst, followRedirects: false);

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<JsonElement> MeasureAsync(string code, string year, int toMonth)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", code, "--area", "Kensington and Chelsea", "--year", year, "--to-month", toMonth.ToString(), "--json");
        exit.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private Task<HttpResponseMessage> EnterFigureAsync(string measure, string from, string to, string value, string source = "Police CRIS, domestic violence flag") =>
        Forms.PostAsync(analyst, "/figures", "/figures", new()
        {
            ["Form.Measure"] = measure, ["Form.Area"] = "Kensington and Chelsea", ["Form.From"] = from, ["Form.To"] = to,
            ["Form.Value"] = value, ["Form.SourceNote"] = source,
        });

    private async Task<int> FigureIdAsync(string measure, string from, string to)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var all = await db.Figures.Include(f => f.Measure).Where(f => f.Source == FigureSource.Manual && f.Measure!.Code == measure).ToListAsync();
        return all.Single(f => f.From.ToString() == from && f.To.ToString() == to).Id;
    }

    private async Task<List<(string Action, string Key, JsonElement? Before, JsonElement? After, string User)>> AuditAsync(string entity)
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var html = await admin.GetStringAsync($"/admin/audit?entity={entity}");
        return Regex.Matches(html, "<tr data-audit=\"\\d+\" data-entity=\"([^\"]+)\" data-key=\"([^\"]+)\" data-action=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(m =>
            {
                m.Groups[1].Value.Should().Be(entity);
                var cells = PlanPagesTests.Cells(m.Groups[4].Value);
                JsonElement? Json(string s) => s.Length == 0 ? null : JsonDocument.Parse(s).RootElement.Clone();
                return (m.Groups[3].Value, m.Groups[2].Value, Json(cells[4]), Json(cells[5]), cells[1]);
            })
            .ToList();
    }

    [Fact]
    public async Task Domestic_violence_target_and_figures_typed_in_set_the_in_year_status()
    {
        var before = await MeasureAsync("domestic-violence", "2010/11", 1);
        before.GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        before.GetProperty("status").GetString().Should().Be("no target");

        var target = await Forms.PostAsync(analyst, "/targets", "/targets", new()
        {
            ["Target.Measure"] = "domestic-violence", ["Target.FinancialYear"] = "2010/11", ["Target.Form"] = "ChangeAgainstPreviousYear",
            ["Target.Value"] = "-5", ["Target.AsPrinted"] = "-5%", ["Target.Set"] = "Partnership targets 2010-2011",
        });
        target.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await EnterFigureAsync("domestic-violence", "2010-04", "2011-01", "600")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var onTrack = await MeasureAsync("domestic-violence", "2010/11", 1);
        onTrack.GetProperty("value").GetDecimal().Should().Be(600);
        onTrack.GetProperty("previous").GetDecimal().Should().Be(652);
        onTrack.GetProperty("changePercent").GetDecimal().Should().Be(-8.0m);
        onTrack.GetProperty("status").GetString().Should().Be("on track");
        onTrack.GetProperty("source").GetString().Should().Be("manual");
        onTrack.GetProperty("sourceNote").GetString().Should().Be("Police CRIS, domestic violence flag");

        // Corrected: the same period edited, not a second figure.
        var id = await FigureIdAsync("domestic-violence", "2010-04", "2011-01");
        var edited = await Forms.PostAsync(analyst, $"/figures/{id}/edit", $"/figures/{id}/edit", new()
        {
            ["Form.Measure"] = "domestic-violence", ["Form.Area"] = "Kensington and Chelsea", ["Form.From"] = "2010-04", ["Form.To"] = "2011-01",
            ["Form.Value"] = "640", ["Form.SourceNote"] = "Police CRIS, revised",
        });
        edited.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var offTrack = await MeasureAsync("domestic-violence", "2010/11", 1);
        offTrack.GetProperty("changePercent").GetDecimal().Should().Be(-1.8m);
        offTrack.GetProperty("status").GetString().Should().Be("off track");

        var targets = await AuditAsync("Target");
        targets.Should().ContainSingle(a => a.Action == "created" && a.After!.Value.GetProperty("measure").GetString() == "domestic-violence"
            && a.After.Value.GetProperty("value").GetDecimal() == -5 && a.Before == null && a.User == "analyst@kccsp.local");
        var figures = await AuditAsync("Figure");
        figures.Should().Contain(a => a.Action == "updated" && a.Key == id.ToString()
            && a.Before!.Value.GetProperty("value").GetDecimal() == 600 && a.After!.Value.GetProperty("value").GetDecimal() == 640);
    }

    [Fact]
    public async Task A_manual_figure_replaces_the_published_one_in_the_measures_row_until_deleted()
    {
        var board = await factory.SignedInClientAsync(Roles.Board);
        PlanPagesTests.Cells(PlanPagesTests.Row(await board.GetStringAsync("/priorities/domestic-violence"), "domestic-violence"))
            .Take(3).Should().Equal("696", "652", "-6.3%");

        (await EnterFigureAsync("domestic-violence", "2009-04", "2010-01", "610", "MPS DV dashboard, March 2010")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var row = PlanPagesTests.Cells(PlanPagesTests.Row(await board.GetStringAsync("/priorities/domestic-violence"), "domestic-violence"));
        row.Take(3).Should().Equal("696", "610", "-12.4%");
        row.Last().Should().Be("manual");

        var id = await FigureIdAsync("domestic-violence", "2009-04", "2010-01");
        (await Forms.PostAsync(analyst, "/figures", $"/figures/{id}/delete", [])).StatusCode.Should().Be(HttpStatusCode.Redirect);
        PlanPagesTests.Cells(PlanPagesTests.Row(await board.GetStringAsync("/priorities/domestic-violence"), "domestic-violence"))
            .Take(3).Should().Equal("696", "652", "-6.3%");

        var audit = await AuditAsync("Figure");
        audit.Should().Contain(a => a.Action == "deleted" && a.Key == id.ToString() && a.After == null
            && a.Before!.Value.GetProperty("value").GetDecimal() == 610 && a.Before.Value.GetProperty("sourceNote").GetString() == "MPS DV dashboard, March 2010");
    }

    [Fact]
    public async Task Typing_mistakes_get_a_400_with_the_reason_and_save_nothing()
    {
        var response = await EnterFigureAsync("domestic-violence", "2010-13", "2011-01", "600");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain("From: '2010-13' is not a month such as 2010-04.");

        var backwards = await EnterFigureAsync("domestic-violence", "2011-01", "2010-04", "600");
        backwards.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        // Nothing saved: checked in the database itself, not only in what the audit page shows.
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCsp.Data.KcCspDbContext>();
        (await db.Figures.CountAsync(f => f.Source == KcCsp.Data.Model.FigureSource.Manual)).Should().Be(0);
        (await db.AuditEntries.CountAsync(a => a.Entity == "Figure")).Should().Be(0);
        (await AuditAsync("Figure")).Should().BeEmpty();
    }

    private async Task<HttpResponseMessage> UploadAsync(string csv, string name = "dv.csv")
    {
        var token = await Forms.TokenAsync(analyst, "/figures/upload");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { file, "file", name } };
        return await analyst.PostAsync("/figures/upload", form);
    }

    [Fact]
    public async Task Csv_upload_with_problems_reports_each_with_line_and_column_and_writes_nothing()
    {
        var csv = "\uFEFFmeasure,area,period,value,source\r\n" +
                  "domestic-violence,Kensington and Chelsea,2010-04..2011-01,600,CRIS\r\n" +
                  "no-such-measure,Kensington & Chelsea,2010-04..2011-01,5,\r\n" +
                  "youth-crime,Atlantis,2010-04..2010-12,410,YOT\r\n" +
                  "street-drinking,Kensington and Chelsea,2010-04..2009-01,12,\r\n" +
                  "begging-vagrancy,Kensington and Chelsea,2010/11,lots,\r\n" +
                  "domestic-violence,KENSINGTON AND CHELSEA,2010-04..2011-01,601,again\r\n";

        var response = await UploadAsync(csv);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var problems = Regex.Matches(html, "<li>(line [^<]+)</li>").Select(m => m.Groups[1].Value).ToList();
        problems.Should().Equal(
            "line 3, column 1 (measure): There is no measure 'no-such-measure' (use its code, e.g. domestic-violence, or its name).",
            "line 4, column 2 (area): There is no area called 'Atlantis'.",
            "line 5, column 3 (period): The period '2010-04..2009-01' ends before it starts.",
            "line 6, column 4 (value): 'lots' is not a number.",
            "line 7, column 3 (period): domestic-violence, Kensington and Chelsea, 2010-04..2011-01 is already given on line 2.");
        html.Should().Contain("Nothing was saved");
        using var scope = factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().Figures.CountAsync(f => f.Source == FigureSource.Manual)).Should().Be(0);
    }

    [Theory]
    [InlineData("\n\n", "line 1: The file is empty")]
    [InlineData("measure,area,when,value\n", "line 1, column 3 (when): Unknown column 'when'")]
    [InlineData("measure,area,period,value\n", "line 1: The file has a header but no figures.")]
    public async Task Csv_upload_with_a_bad_header_or_no_rows_says_so(string csv, string message)
    {
        var response = await UploadAsync(csv);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain(message);
    }

    [Fact]
    public async Task Csv_upload_of_valid_rows_feeds_the_measures_and_is_audited()
    {
        var csv = "measure,area,period,value,source\n" +
                  "Domestic violence,Kensington and Chelsea,2010-04..2011-01,600,\"CRIS, DV flag\"\n" +
                  "domestic-violence,Kensington and Chelsea,2009/10,780,CRIS full year\n" +
                  "street-drinking,E09000020,2010-05,31\n";

        var response = await UploadAsync(csv, "dv-2011-02.csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Saved 3 new figures and replaced 0");
        var dv = await MeasureAsync("domestic-violence", "2010/11", 1);
        dv.GetProperty("value").GetDecimal().Should().Be(600);
        dv.GetProperty("sourceNote").GetString().Should().Be("CRIS, DV flag (dv-2011-02.csv line 2)");
        // The full 2009/10 year typed in drives the year-end projection: 600 × 780 / 652 = 717.8, shown whole.
        dv.GetProperty("projectedYearEnd").GetDecimal().Should().Be(718m);

        var again = await UploadAsync("measure,area,period,value\nstreet-drinking,Kensington and Chelsea,2010-05,33\n", "fix.csv");
        (await again.Content.ReadAsStringAsync()).Should().Contain("Saved 0 new figures and replaced 1");
        var audit = await AuditAsync("Figure");
        audit.Count(a => a.Action == "created").Should().Be(3);
        audit.Should().ContainSingle(a => a.Action == "updated" && a.Before!.Value.GetProperty("value").GetDecimal() == 31 && a.After!.Value.GetProperty("value").GetDecimal() == 33);
    }

    [Fact]
    public async Task Measures_actions_users_and_updates_changes_are_in_the_audit_trail_with_before_and_after()
    {
        // Measure: created, then edited.
        (await Forms.PostAsync(analyst, "/measures", "/measures", new()
        {
            ["Name"] = "Perceptions of ASB (% high worry)", ["Description"] = "Residents' survey", ["Polarity"] = "LowerIsBetter", ["Unit"] = "Percentage",
        })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        int measureId;
        using (var scope = factory.Services.CreateScope())
            measureId = await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().Measures.Where(m => m.Code == "perceptions-of-asb-high-worry").Select(m => m.Id).SingleAsync();
        (await Forms.PostAsync(analyst, $"/measures/{measureId}/edit", $"/measures/{measureId}/edit", new()
        {
            ["Name"] = "Perceptions of ASB: % high worry", ["Description"] = "Residents' survey", ["Polarity"] = "LowerIsBetter", ["Unit"] = "Percentage",
        })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var measures = await AuditAsync("Measure");
        measures.Should().Contain(a => a.Action == "created" && a.After!.Value.GetProperty("code").GetString() == "perceptions-of-asb-high-worry");
        measures.Should().Contain(a => a.Action == "updated" && a.Before!.Value.GetProperty("name").GetString() == "Perceptions of ASB (% high worry)"
            && a.After!.Value.GetProperty("name").GetString() == "Perceptions of ASB: % high worry");

        // Target edited: before and after.
        (await Forms.PostAsync(analyst, "/targets/1/edit", "/targets/1/edit", new()
        {
            ["Target.Measure"] = "robbery", ["Target.FinancialYear"] = "2010/11", ["Target.Form"] = "ChangeAgainstPreviousYear",
            ["Target.Value"] = "-3", ["Target.AsPrinted"] = "-3%", ["Target.Set"] = "Police targets 2010-2011",
        })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await AuditAsync("Target")).Should().Contain(a => a.Action == "updated" && a.Key == "1"
            && a.Before!.Value.GetProperty("asPrinted").GetString() == "-2%" && a.After!.Value.GetProperty("asPrinted").GetString() == "-3%");

        // Action added by the analyst, then an officer's update to it.
        var added = await Forms.PostAsync(analyst, "/actions/new?priority=domestic-violence", "/actions/new", new()
        {
            ["Form.PriorityCode"] = "domestic-violence", ["Form.Theme"] = "Enforcement", ["Form.Text"] = "Review every repeat DV call within 48 hours",
            ["Form.LeadAgency"] = "Police", ["Form.DueDate"] = "2011-03-31", ["Form.Status"] = "NotStarted", ["Form.PercentComplete"] = "0",
        });
        added.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var actionId = added.Headers.Location!.OriginalString.Split('/').Last();
        var officer = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);
        (await Forms.PostAsync(officer, $"/actions/{actionId}", $"/actions/{actionId}/updates", new()
        {
            ["NewUpdate.Status"] = "OnTrack", ["NewUpdate.PercentComplete"] = "20", ["NewUpdate.Commentary"] = "Reviews running daily", ["NewUpdate.Date"] = "2010-11-01",
        })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var actions = await AuditAsync("PlanAction");
        actions.Should().Contain(a => a.Action == "created" && a.Key == actionId && a.Before == null && a.After!.Value.GetProperty("leadAgency").GetString() == "Police");
        actions.Should().Contain(a => a.Action == "updated" && a.Key == actionId && a.User == "officer@kccsp.local"
            && a.Before!.Value.GetProperty("status").GetString() == "NotStarted" && a.After!.Value.GetProperty("status").GetString() == "OnTrack");
        (await AuditAsync("ActionUpdate")).Should().ContainSingle(a => a.Action == "created" && a.After!.Value.GetProperty("commentary").GetString() == "Reviews running daily");

        // User: created by an admin, role changed, locked, unlocked.
        var admin = await factory.SignedInClientAsync(Roles.Admin, followRedirects: false);
        var created = await Forms.PostAsync(admin, "/admin/users", "/admin/users", new()
        {
            ["NewUser.Email"] = "probation@kccsp.local", ["NewUser.DisplayName"] = "Probation manager", ["NewUser.Role"] = "Board", ["NewUser.Agency"] = "Probation",
        });
        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var users = await admin.GetStringAsync("/admin/users");
        WebUtility.HtmlDecode(users).Should().MatchRegex("Created probation@kccsp.local. Their password is \\S{20} ");
        string userId;
        using (var scope = factory.Services.CreateScope())
            userId = await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().Users.Where(u => u.Email == "probation@kccsp.local").Select(u => u.Id).SingleAsync();
        (await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{userId}", new() { ["Role"] = "Officer", ["Agency"] = "Probation", ["DisplayName"] = "Probation manager" }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{userId}/lock", [])).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await admin.GetStringAsync("/admin/users")).Should().Contain("data-locked");
        (await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{userId}/unlock", [])).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var userAudit = (await AuditAsync("User")).Where(a => a.Key == userId).ToList();
        userAudit.Select(a => a.Action).Should().Equal("unlocked", "locked", "updated", "created");
        userAudit[2].Before!.Value.GetProperty("role").GetString().Should().Be("Board");
        userAudit[2].After!.Value.GetProperty("role").GetString().Should().Be("Officer");
        userAudit[1].After!.Value.GetProperty("lockedOut").GetBoolean().Should().BeTrue();
        userAudit[0].After!.Value.GetProperty("lockedOut").GetBoolean().Should().BeFalse();

        // Filters: by user and by date.
        var adminHtml = await (await factory.SignedInClientAsync(Roles.Admin)).GetStringAsync("/admin/audit?user=officer%40kccsp.local");
        Regex.Matches(adminHtml, "data-audit=").Count.Should().Be(2);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var future = await (await factory.SignedInClientAsync(Roles.Admin)).GetStringAsync($"/admin/audit?from={tomorrow}");
        Regex.Matches(future, "data-audit=").Count.Should().Be(0);
    }
}
