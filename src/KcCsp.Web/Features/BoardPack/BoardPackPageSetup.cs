using ClosedXML.Excel;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>
/// How every sheet of the board pack prints: A4 landscape, fitted to one page wide (as many tall as it needs), the
/// sheet's header rows (the rows it freezes on screen) repeated on every page, the pack's title and period in the page
/// header and "page N of M" in the footer, so a printed priority reads as pages a board member can annotate.
/// </summary>
public static class BoardPackPageSetup
{
    public static void Apply(IXLWorksheet sheet, string title, string period)
    {
        var page = sheet.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        // 1 page wide; 0 pages tall means "as many as the rows need" (Excel's fitToHeight="0").
        page.FitToPages(1, 0);
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Margins.Top = 0.75;
        page.Margins.Bottom = 0.75;
        page.Margins.Header = 0.3;
        page.Margins.Footer = 0.3;
        page.CenterHorizontally = true;
        var headerRows = sheet.SheetView.SplitRow;
        if (headerRows > 0) page.SetRowsToRepeatAtTop(1, headerRows);

        page.Header.Left.AddText(Escape(title), XLHFOccurrence.AllPages);
        page.Header.Right.AddText(Escape(period), XLHFOccurrence.AllPages);
        page.Footer.Left.AddText(XLHFPredefinedText.SheetName, XLHFOccurrence.AllPages);
        page.Footer.Right.AddText("Page ", XLHFOccurrence.AllPages);
        page.Footer.Right.AddText(XLHFPredefinedText.PageNumber, XLHFOccurrence.AllPages);
        page.Footer.Right.AddText(" of ", XLHFOccurrence.AllPages);
        page.Footer.Right.AddText(XLHFPredefinedText.NumberOfPages, XLHFOccurrence.AllPages);
    }

    // "&" starts a code in a page header ("&P" is the page number): a literal one is written "&&".
    private static string Escape(string text) => text.Replace("&", "&&", StringComparison.Ordinal);
}
