using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using KcCsp.Data;
using KcCsp.Web.Tests.Analytics;
using KcCsp.Web.Tests.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Analysis;

/// <summary>A portal of its own with the real 2008–2016 extract imported: these tests publish, so they do not share one.</summary>
public sealed class PublishingPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new();

    public async ValueTask InitializeAsync() => await ImportTests.ImportAsync(Factory, TestEnvironment.DataFile(RealDataPortal.Historic));

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

/// <summary>
/// An analyst edits the draft and publishes it: audited with before and after, every version kept; the priority page
/// and the board pack (workbook and print view) show the published text with its date and author, and say when the
/// figures changed since; board members see only the published text.
/// </summary>
public sealed class NarrativePublishingTests(PublishingPortal portal) : IClassFixture<PublishingPortal>
{
    private const string Page = "/priorities/serious-acquisitive-crime/analysis?from=2008-04&to=2010-01";

    private static Dictionary<string, string> Form(string text) => new() { ["from"] = "2008-04", ["to"] = "2010-01", ["text"] = text };

    [Fact]
    public async Task Publishing_is_audited_kept_and_shown_to_the_board_without_the_draft()
    {
        var analyst = await portal.Factory.SignedInClientAsync("Analyst");
        var page = await analyst.GetStringAsync(Page);
        page.Should().Contain("Serious acquisitive crime accounted for 17.4% of total notifiable offences").And.Contain("Edit and publish");

        var first = "Serious acquisitive crime accounted for 17.4% of all offences.\n\nTheft from motor vehicle was the largest part.";
        var response = await Forms.PostAsync(analyst, Page, "/priorities/serious-acquisitive-crime/analysis", Form(first));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var second = "Serious acquisitive crime accounted for 17.4% of all offences recorded (6,864).";
        (await Forms.PostAsync(analyst, Page, "/priorities/serious-acquisitive-crime/analysis", Form(second))).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var scope = portal.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            // The class's tests share one portal and run in any order: only this priority's versions and entries.
            var versions = await db.AnalysisPublications.Where(p => p.Priority!.Code == "serious-acquisitive-crime").OrderBy(p => p.Id).ToListAsync();
            versions.Select(v => v.Text).Should().Equal(first, second);
            versions.Should().OnlyContain(v => v.PublishedBy == "analyst@kccsp.local" && v.DraftText.StartsWith("Serious acquisitive crime accounted for 17.4%"));
            var audit = await db.AuditEntries.Where(a => a.Entity == "Analysis" && a.Key.StartsWith("serious-acquisitive-crime /")).OrderBy(a => a.Id).ToListAsync();
            audit.Should().HaveCount(2);
            audit.Should().OnlyContain(a => a.Action == "published" && a.User == "analyst@kccsp.local" && a.Key == "serious-acquisitive-crime / Kensington and Chelsea");
            audit[0].Before.Should().BeNull();
            JsonDocument.Parse(audit[1].Before!).RootElement.GetProperty("text").GetString().Should().Be(first);
            JsonDocument.Parse(audit[1].After!).RootElement.GetProperty("text").GetString().Should().Be(second);
        }

        var history = await analyst.GetStringAsync(Page);
        history.Split("data-version").Length.Should().Be(3, "both published versions are listed");

        var board = await portal.Factory.SignedInClientAsync("Board");
        var priority = await board.GetStringAsync("/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1");
        priority.Should().Contain("data-published-analysis").And.Contain("6,864").And.Contain("by analyst@kccsp.local, for April 2008 – January 2010");
        priority.Should().NotContain("data-draft", "board members see only published text").And.NotContain("data-figures-changed");
        (await analyst.GetStringAsync("/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1")).Should().Contain("data-draft").And.Contain("data-published-analysis");

        var print = await board.GetStringAsync("/board-pack/print?year=2009/10&toMonth=1");
        print.Should().Contain(second).And.Contain("data-published-analysis").And.NotContain("data-draft");

        var bytes = await board.GetByteArrayAsync("/board-pack?year=2009/10&toMonth=1");
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheets.Single(s => s.Name.StartsWith("Serious acquisitive", StringComparison.Ordinal));
        sheet.CellsUsed().Select(c => c.GetString()).Should().Contain(second).And.Contain(s => s.StartsWith("Published ", StringComparison.Ordinal) && s.Contains("by analyst@kccsp.local"));
    }

    [Fact]
    public async Task When_the_figures_change_after_publishing_the_page_says_so()
    {
        var analyst = await portal.Factory.SignedInClientAsync("Analyst");
        const string drugsPage = "/priorities/drugs-and-reoffending/analysis?from=2008-04&to=2010-01";
        (await Forms.PostAsync(analyst, drugsPage, "/priorities/drugs-and-reoffending/analysis", Form("Drugs offences were 12.1% of all offences."))).StatusCode
            .Should().Be(HttpStatusCode.OK);
        var board = await portal.Factory.SignedInClientAsync("Board");
        (await board.GetStringAsync("/priorities/drugs-and-reoffending")).Should().NotContain("data-figures-changed");

        // As if the figures had been revised since: the draft it was published from is not today's.
        using (var scope = portal.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var latest = await db.AnalysisPublications.Where(p => p.Priority!.Code == "drugs-and-reoffending").OrderByDescending(p => p.Id).FirstAsync();
            latest.DraftText = "Drugs offences accounted for 11.9% of total notifiable offences.";
            await db.SaveChangesAsync();
        }
        (await board.GetStringAsync("/priorities/drugs-and-reoffending")).Should().Contain("data-figures-changed").And.Contain("The figures have changed since this was published.");
    }

    [Fact]
    public async Task Board_members_cannot_draft_or_publish_and_an_empty_text_is_refused()
    {
        var board = await portal.Factory.SignedInClientAsync("Board", followRedirects: false);
        (await board.GetAsync(Page)).StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);

        var analyst = await portal.Factory.SignedInClientAsync("Analyst");
        var empty = await Forms.PostAsync(analyst, Page, "/priorities/serious-acquisitive-crime/analysis", Form("  \n "));
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).Should().Contain("the text is empty");

        var noData = await analyst.GetAsync("/priorities/serious-acquisitive-crime/analysis?from=2001-04&to=2002-01");
        noData.StatusCode.Should().Be(HttpStatusCode.OK);
        (await noData.Content.ReadAsStringAsync()).Should().Contain("data-draft-refused").And.Contain("There are no figures for serious acquisitive crime");
        (await analyst.GetAsync("/priorities/serious-acquisitive-crime/analysis?from=2010-13&to=2011-01")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await analyst.GetAsync("/priorities/no-such-priority/analysis")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
