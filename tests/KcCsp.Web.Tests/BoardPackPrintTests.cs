using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;

namespace KcCsp.Web.Tests;

/// <summary>
/// The board pack prints: every sheet A4 landscape, one page wide, header rows repeated, title and period in the
/// header, page numbers in the footer; LibreOffice prints each sheet to one or two pages (it was 65 pages for the
/// whole pack before there was any page setup).
/// </summary>
public sealed partial class BoardPackPrintTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync() => client = await factory.SignedInClientAsync("Board");

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<byte[]> PackAsync()
    {
        var response = await client.GetAsync("/board-pack?year=2009/10&toMonth=1");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Every_sheet_has_a_page_setup()
    {
        using var workbook = new XLWorkbook(new MemoryStream(await PackAsync()));
        foreach (var sheet in workbook.Worksheets)
        {
            var page = sheet.PageSetup;
            page.PaperSize.Should().Be(XLPaperSize.A4Paper, sheet.Name);
            page.PageOrientation.Should().Be(XLPageOrientation.Landscape, sheet.Name);
            page.PagesWide.Should().Be(1, sheet.Name);
            page.PagesTall.Should().Be(0, sheet.Name);
            sheet.SheetView.SplitRow.Should().BeGreaterThan(0, sheet.Name);
            page.FirstRowToRepeatAtTop.Should().Be(1, sheet.Name);
            page.LastRowToRepeatAtTop.Should().Be(sheet.SheetView.SplitRow, sheet.Name);
            // Read back, a header for all pages is the odd pages' (the workbook has no separate even or first page).
            page.Header.Left.GetText(XLHFOccurrence.OddPages).Should().Contain("board pack", sheet.Name);
            page.Header.Right.GetText(XLHFOccurrence.OddPages).Should().Contain("April 2009", sheet.Name).And.Contain("January 2010");
            page.Footer.Right.GetText(XLHFOccurrence.OddPages).Should().Be("Page &P of &N", sheet.Name);
        }
    }

    [Fact]
    public async Task LibreOffice_prints_each_sheet_to_one_or_two_pages()
    {
        var soffice = TestEnvironment.SofficePath();
        var pack = await PackAsync();
        var folder = Directory.CreateTempSubdirectory("kccsp-print-");
        try
        {
            // One single-sheet workbook per sheet, converted in one LibreOffice run: a page count per sheet.
            string[] sheetNames;
            using (var workbook = new XLWorkbook(new MemoryStream(pack)))
                sheetNames = workbook.Worksheets.Select(w => w.Name).ToArray();
            var files = new List<string>();
            for (var i = 0; i < sheetNames.Length; i++)
            {
                using var workbook = new XLWorkbook(new MemoryStream(pack));
                foreach (var other in sheetNames.Where((_, j) => j != i)) workbook.Worksheet(other).Delete();
                var path = Path.Combine(folder.FullName, $"sheet{i:00}.xlsx");
                workbook.SaveAs(path);
                files.Add(path);
            }
            File.WriteAllBytes(Path.Combine(folder.FullName, "whole.xlsx"), pack);
            files.Add(Path.Combine(folder.FullName, "whole.xlsx"));

            await ConvertAsync(soffice, folder.FullName, files);

            var pages = new Dictionary<string, int>();
            for (var i = 0; i < sheetNames.Length; i++)
                pages[sheetNames[i]] = PageCount(Path.Combine(folder.FullName, $"sheet{i:00}.pdf"));
            var whole = PageCount(Path.Combine(folder.FullName, "whole.pdf"));

            var report = string.Join(", ", pages.Select(p => $"{p.Key}: {p.Value}"));
            pages.Values.Should().OnlyContain(n => n >= 1 && n <= 2, report);
            whole.Should().Be(pages.Values.Sum(), report);
            whole.Should().BeLessThanOrEqualTo(2 * sheetNames.Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task ConvertAsync(string soffice, string folder, IEnumerable<string> files)
    {
        var start = new ProcessStartInfo(soffice)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
        };
        // Its own profile, so that parallel runs (and a user's open LibreOffice) do not collide.
        start.ArgumentList.Add($"-env:UserInstallation=file://{Path.Combine(folder, "profile")}");
        foreach (var a in new[] { "--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder }) start.ArgumentList.Add(a);
        foreach (var f in files) start.ArgumentList.Add(f);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, $"{await output}\n{await error}");
    }

    /// <summary>Pages of a PDF: its page objects ("/Type /Page", not "/Pages").</summary>
    private static int PageCount(string pdf)
    {
        File.Exists(pdf).Should().BeTrue($"LibreOffice should have written {pdf}");
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(pdf));
        var count = PageObject().Count(text);
        count.Should().BeGreaterThan(0, $"{pdf} has page objects LibreOffice writes uncompressed");
        return count;
    }

    [GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial Regex PageObject();
}
