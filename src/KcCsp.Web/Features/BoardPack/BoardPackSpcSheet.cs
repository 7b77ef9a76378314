using ClosedXML.Excel;
using KcCsp.Web.Features.Analytics;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>
/// The board pack's "Process control" sheet: every measure's XmR chart as a table — each month's value, the mean and
/// limits (from the 24 months before the period, or as many as there are), whether the month is in the baseline, its
/// signals in words — and the latest month's variation and the assurance against a monthly target.
/// </summary>
public static class BoardPackSpcSheet
{
    public static bool HasCharts(BoardPack pack) => pack.AllRows.Any(r => r.Spc is { CanDraw: true });

    public static void Write(IXLWorksheet sheet, BoardPack pack)
    {
        var headers = new[] { "Measure", "Month", "Value", "Mean", "Lower limit", "Upper limit", "In baseline", "Signals", "Latest month", "Assurance" };
        for (var c = 0; c < headers.Length; c++)
        {
            BoardPackWorkbook.Text(sheet.Cell(1, c + 1), headers[c]);
            sheet.Cell(1, c + 1).Style.Font.Bold = true;
        }
        var row = 1;
        foreach (var r in pack.AllRows.Where(r => r.Spc is { CanDraw: true }))
        {
            var spc = r.Spc!;
            foreach (var p in spc.Points)
            {
                row++;
                BoardPackWorkbook.Text(sheet.Cell(row, 1), r.Measure.Name);
                BoardPackWorkbook.Text(sheet.Cell(row, 2), p.Month.ToString());
                sheet.Cell(row, 3).SetValue(p.Value);
                sheet.Cell(row, 4).SetValue(Math.Round(spc.Result.Mean, 2));
                sheet.Cell(row, 5).SetValue(Math.Round(spc.Result.LowerProcessLimit, 2));
                sheet.Cell(row, 6).SetValue(Math.Round(spc.Result.UpperProcessLimit, 2));
                BoardPackWorkbook.Text(sheet.Cell(row, 7), p.InBaseline ? "yes" : "no");
                BoardPackWorkbook.Text(sheet.Cell(row, 8), SpcText.Signals(p.Point));
                BoardPackWorkbook.Text(sheet.Cell(row, 9), SpcText.VariationWithIcon(spc.Result.Variation));
                BoardPackWorkbook.Text(sheet.Cell(row, 10), SpcText.Assurance(spc.Result.Assurance));
            }
        }
        sheet.Range(2, 4, Math.Max(row, 2), 6).Style.NumberFormat.Format = "#,##0.00";
        double[] widths = [34, 10, 10, 10, 12, 12, 11, 44, 28, 28];
        for (var c = 0; c < widths.Length; c++) sheet.Column(c + 1).Width = widths[c];
        sheet.SheetView.FreezeRows(1);
    }
}
