using System.IO.Compression;
using System.Net;
using ClosedXML.Excel;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Domain;
using KcCsp.Web.Features.BoardPack;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

public sealed class BoardPackTests : IAsyncLifetime
{
    internal const string FormulaText = "=HYPERLINK(\"http://example.org\",\"x\")";

    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task Board_pack_for_the_seeded_plan_has_its_sheets_and_the_section_2_figures()
    {
        var response = await client.GetAsync("/board-pack");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.Content.Headers.ContentDisposition!.FileName.Should().Be("kccsp-board-pack-2009-10-to-2010-01.xlsx");
        using var workbook = new XLWorkbook(await response.Content.ReadAsStreamAsync());

        workbook.Worksheets.Select(w => w.Name).Should().Equal(
            "Cover", "Summary", "Confidence in the police and", "Drugs and re-offending", "Serious acquisitive crime", "Most serious violence, gun and",
            "Street populations", "Vulnerability to terrorist", "Domestic violence", "Monthly data", "Figures");

        var summary = workbook.Worksheet("Summary");
        summary.SheetView.SplitRow.Should().Be(3, "the header rows stay in view");
        var header = summary.Row(3).Cells(1, 11).Select(c => c.GetString()).ToList();
        header.Should().Equal("Priority", "Measure", "Period", "2008/09", "2009/10", "% change", "London rank", "Meeting target?", "Significant change?", "p-value", "Source");
        var sac = FindRow(summary, 2, "Serious acquisitive crime");
        sac.Cell(1).GetString().Should().Be("Serious acquisitive crime");
        sac.Cell(4).GetValue<decimal>().Should().Be(3582);
        sac.Cell(4).Style.NumberFormat.Format.Should().Be("#,##0");
        sac.Cell(5).GetValue<decimal>().Should().Be(3374);
        sac.Cell(6).DataType.Should().Be(XLDataType.Number);
        sac.Cell(6).GetValue<double>().Should().BeApproximately(-0.058, 1e-12);
        sac.Cell(6).Style.NumberFormat.Format.Should().Be("0.0%");
        Shown(sac.Cell(6)).Should().Be("-5.8%");
        sac.Cell(7).GetString().Should().Be("9th lowest");
        sac.Cell(8).GetString().Should().Be("✓ met");
        sac.Cell(9).GetString().Should().Be("Yes");
        sac.Cell(11).GetString().Should().Be("published");
        Shown(FindRow(summary, 2, "Begging/vagrancy").Cell(6)).Should().Be("14.4%");
        Shown(sac.Cell(4)).Should().Be("3,582");
        FindRow(summary, 2, "Domestic violence").Cell(8).GetString().Should().Be("× not met");
        // Every priority's and the partnership's measures are there: 25 measures under priorities and one across the partnership.
        summary.LastRowUsed()!.RowNumber().Should().Be(3 + 25 + 1);
        summary.Column(2).Width.Should().Be(44, "widths are set by hand, never measured");

        var priority = workbook.Worksheet("Serious acquisitive crime");
        priority.SheetView.SplitRow.Should().Be(4);
        Shown(FindRow(priority, 1, "Serious acquisitive crime", after: 4).Cell(5)).Should().Be("-5.8%");
        FindRow(priority, 1, "Targets").Should().NotBeNull();
        var harden = priority.RowsUsed().Single(r => r.Cell(1).GetString().StartsWith("Target harden properties where repeat burglaries have occurred", StringComparison.Ordinal));
        harden.Cell(3).GetString().Should().Be("Situational Prevention");
        harden.Cell(4).GetString().Should().Be("Council");
        harden.Cell(5).GetDateTime().Should().Be(new DateTime(2011, 3, 31));
        harden.Cell(5).Style.NumberFormat.Format.Should().Be("d mmm yyyy");
        harden.Cell(6).GetString().Should().Be("not started");
        var actionHeader = FindRow(priority, 1, "Action");
        actionHeader.Cells(1, 8).Select(c => c.GetString()).Should().Equal("Action", "Detail", "Theme", "Lead agency", "Due", "Status", "Complete", "Latest update");

        var cover = workbook.Worksheet("Cover");
        var texts = cover.CellsUsed().Select(c => c.GetString()).ToList();
        texts.Should().Contain("Crime and Community Safety Plan 2010-2013").And.Contain("Kensington and Chelsea Community Safety Partnership")
            .And.Contain("Kensington and Chelsea").And.Contain("April 2009 – January 2010 (year to date)").And.Contain("Produced");
        FindRow(cover, 1, "serious-acquisitive-crime").Cells(1, 5).Select(c => c.GetString()).Should()
            .Equal("serious-acquisitive-crime", "Serious acquisitive crime", "2009-04 to 2010-01", "published", "Crime and Community Safety Plan 2010-2013, Section 2");

        workbook.Worksheet("Figures").CellsUsed().Should().Contain(c => c.GetString() == "serious-acquisitive-crime");
        workbook.Worksheet("Monthly data").SheetView.SplitRow.Should().Be(1);
    }

    [Fact]
    public async Task Text_that_looks_like_a_formula_stays_text_in_the_workbook()
    {
        await AddActionAsync(factory, FormulaText);

        var bytes = await client.GetByteArrayAsync("/board-pack");

        using (var workbook = new XLWorkbook(new MemoryStream(bytes)))
        {
            var sheet = workbook.Worksheet("Serious acquisitive crime");
            var cell = sheet.CellsUsed().Single(c => c.GetString().Contains("HYPERLINK"));
            cell.HasFormula.Should().BeFalse();
            cell.FormulaA1.Should().BeEmpty();
            cell.DataType.Should().Be(XLDataType.Text);
            cell.GetString().Should().Be(FormulaText);
            cell.Style.IncludeQuotePrefix.Should().BeTrue("Excel keeps a quote-prefixed cell as text even when it is edited");
            // The detail ("+ more") and lead agency ("@Police") beside it are literal text too.
            var row = cell.WorksheetRow();
            row.Cell(2).GetString().Should().Be("+ more");
            row.Cell(4).GetString().Should().Be("@Police");
            row.Cells(1, 8).Should().OnlyContain(c => !c.HasFormula);
        }
        // No sheet of the package has a formula element at all.
        using var zip = new ZipArchive(new MemoryStream(bytes));
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var xml = await reader.ReadToEndAsync();
            xml.Should().NotContainAny(["<x:f>", "<f>", "<f "], entry.FullName);
        }
    }

    [Theory]
    [InlineData("year=2009/11", "year")]
    [InlineData("year=soon", "year")]
    [InlineData("toMonth=13", "toMonth")]
    public async Task Bad_period_is_a_400_problem(string query, string parameter)
    {
        var response = await client.GetAsync("/board-pack?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain(parameter + ":");
    }

    [Fact]
    public async Task A_chosen_period_names_the_file_and_the_cover()
    {
        var response = await client.GetAsync("/board-pack?year=2010/11&toMonth=3");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.FileName.Should().Be("kccsp-board-pack-2010-11-to-2011-03.xlsx");
        using var workbook = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        workbook.Worksheet("Cover").CellsUsed().Select(c => c.GetString()).Should().Contain("2010/11");
        // No figures are stored for 2010/11: the rows say so instead of inventing numbers.
        FindRow(workbook.Worksheet("Summary"), 2, "Serious acquisitive crime").Cell(5).GetString().Should().Be("–");
    }

    [Fact]
    public void Sheet_names_are_short_clean_and_unique()
    {
        var names = new BoardPackWorkbook.SheetNames();
        var made = new[] { "Summary", "summary", "A very long priority title that goes on: and on [and on]", "A very long priority title that goes on: and on [and on]", "'Quoted'", "?" }
            .Select(names.Unique).ToList();

        made.Should().OnlyHaveUniqueItems(n => n.ToLowerInvariant());
        char[] forbidden = ['[', ']', ':', '*', '?', '/', '\\'];
        made.Should().OnlyContain(n => n.Length <= 31 && n.IndexOfAny(forbidden) < 0 && !n.StartsWith('\''));
        made.Should().Equal("Summary", "summary (2)", "A very long priority title that", "A very long priority title (2)", "Quoted", "Sheet");
    }

    internal static async Task AddActionAsync(PortalFactory factory, string text)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var priority = await db.Priorities.SingleAsync(p => p.Code == "serious-acquisitive-crime");
        db.Actions.Add(new PlanAction
        {
            PriorityId = priority.Id, Theme = "Enforcement", Text = text, LeadAgency = "@Police", Detail = "+ more",
            FinancialYear = new FinancialYear(2010), Status = ActionStatus.OnTrack, SortOrder = 99,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// What a spreadsheet shows for a number cell: its value through its stored format code, rendered by
    /// ExcelNumberFormat (the library ClosedXML itself uses). ClosedXML 0.95.4's GetFormattedString() is not used: on a
    /// re-opened workbook it sometimes falls back to the General format for custom codes (-0.058, 3582).
    /// </summary>
    private static string Shown(IXLCell cell)
    {
        cell.DataType.Should().Be(XLDataType.Number);
        return new ExcelNumberFormat.NumberFormat(cell.Style.NumberFormat.Format).Format(cell.GetValue<double>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IXLRow FindRow(IXLWorksheet sheet, int column, string text, int after = 0) =>
        sheet.RowsUsed().FirstOrDefault(r => r.RowNumber() > after && r.Cell(column).GetString() == text)
        ?? throw new InvalidOperationException($"{sheet.Name} has no row with '{text}' in column {column}.");
}
