using ClosedXML.Excel;
using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using KcCsp.Web.Features.Downloads;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>
/// Writes a <see cref="BoardPack"/> as an .xlsx workbook: cover, summary, one sheet per priority, monthly data and
/// the stored figures. Column widths are set by hand (ClosedXML's AdjustToContents needs GDI+, absent on Linux), and
/// every piece of text goes through <see cref="Text"/>, so nothing a user typed can become a formula.
/// </summary>
public static class BoardPackWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CountFormat = "#,##0";
    public const string RateFormat = "0.00";
    public const string PercentageValueFormat = "0.0\"%\"";
    public const string ChangeFormat = "0.0%";
    public const string DateFormat = "d mmm yyyy";
    public const string DateTimeFormat = "d mmm yyyy hh:mm";

    public static string FileName(ReportingPeriod period) => $"kccsp-board-pack-{period.FileNamePart}.xlsx";

    public static byte[] Write(BoardPack pack)
    {
        using var workbook = new XLWorkbook();
        var names = new SheetNames();
        Cover(workbook.Worksheets.Add(names.Unique("Cover")), pack);
        Summary(workbook.Worksheets.Add(names.Unique("Summary")), pack);
        foreach (var priority in pack.Priorities) Priority(workbook.Worksheets.Add(names.Unique(priority.Title)), pack, priority);
        Monthly(workbook.Worksheets.Add(names.Unique("Monthly data")), pack);
        if (BoardPackSpcSheet.HasCharts(pack)) BoardPackSpcSheet.Write(workbook.Worksheets.Add(names.Unique("Process control")), pack);
        if (pack.Hotspots.Count > 0) Hotspots(workbook.Worksheets.Add(names.Unique("Hotspots")), pack);
        Figures(workbook.Worksheets.Add(names.Unique("Figures")), pack);
        foreach (var sheet in workbook.Worksheets)
            BoardPackPageSetup.Apply(sheet, $"{pack.Cover.Partnership}: board pack", $"{pack.Cover.Area}, {pack.Cover.PeriodDescription} (year to date)");
        workbook.Properties.Title = $"Board pack: {pack.Cover.PlanTitle}, {pack.Cover.PeriodDescription}";
        workbook.Properties.Author = pack.Cover.Partnership;
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static void Cover(IXLWorksheet sheet, BoardPack pack)
    {
        var c = pack.Cover;
        Title(sheet.Cell(1, 1), "Board pack", 16);
        var facts = new (string Label, string Value)[]
        {
            ("Plan", c.PlanTitle),
            ("Partnership", c.Partnership),
            ("Plan years", c.PlanYears),
            ("Area", c.Area),
            ("Financial year", c.Period.Year.ToString()),
            ("Period", $"{c.PeriodDescription} (year to date)"),
            ("Compared with", c.PreviousPeriodDescription),
        };
        var row = 3;
        foreach (var (label, value) in facts)
        {
            Header(sheet.Cell(row, 1), label);
            Text(sheet.Cell(row, 2), value);
            row++;
        }
        Header(sheet.Cell(row, 1), "Produced");
        sheet.Cell(row, 2).SetValue(c.ProducedAt.DateTime);
        sheet.Cell(row, 2).Style.NumberFormat.Format = DateTimeFormat;
        sheet.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row += 2;

        Title(sheet.Cell(row, 1), "What this pack rests on", 12);
        row++;
        Text(sheet.Cell(row, 1), "Each figure's source: \"published\" is the plan's own table, \"manual\" an analyst's entry, \"imported\" a crime extract. The Figures sheet lists every stored figure.");
        row += 2;
        HeaderRow(sheet, row, "Measure code", "Measure", "Period", "Source", "Source note");
        foreach (var s in c.Sources)
        {
            row++;
            Text(sheet.Cell(row, 1), s.Measure);
            Text(sheet.Cell(row, 2), s.MeasureName);
            Text(sheet.Cell(row, 3), s.Period);
            Text(sheet.Cell(row, 4), s.Source);
            Text(sheet.Cell(row, 5), s.SourceNote);
        }
        Widths(sheet, 18, 60, 22, 12, 60);
        sheet.SheetView.FreezeRows(1);
    }

    private static void Summary(IXLWorksheet sheet, BoardPack pack)
    {
        var c = pack.Cover;
        Title(sheet.Cell(1, 1), $"Summary: {c.Area}, {c.PeriodDescription} against {c.PreviousPeriodDescription}", 14);
        var year = c.Period.Year;
        HeaderRow(sheet, 3, "Priority", "Measure", "Period", year.Previous.ToString(), year.ToString(), "% change", pack.AllRows.FirstOrDefault()?.Area.RankHeading ?? "London rank",
            "Meeting target?", "Significant change?", "p-value", "Source");
        var row = 3;
        foreach (var (priority, r) in pack.Priorities.SelectMany(p => p.Rows.Select(r => (p.Title, r)))
                     .Concat(pack.PartnershipMeasures.Select(r => ("Across the partnership", r))))
        {
            row++;
            Text(sheet.Cell(row, 1), priority);
            Text(sheet.Cell(row, 2), r.Measure.Name);
            Text(sheet.Cell(row, 3), r.Periods.Current.Describe());
            Value(sheet.Cell(row, 4), r.PreviousValue, r.Measure.Unit.ToString());
            Value(sheet.Cell(row, 5), r.Value, r.Measure.Unit.ToString());
            Change(sheet.Cell(row, 6), r);
            Text(sheet.Cell(row, 7), ReportText.Rank(r) ?? "–");
            Text(sheet.Cell(row, 8), $"{ReportText.StatusIcon(r)} {ReportText.Status(r)}");
            Text(sheet.Cell(row, 9), r.Significance is { } s ? (s.Significant ? "Yes" : "No") : "–");
            if (r.Significance is { } sig)
            {
                sheet.Cell(row, 10).SetValue(sig.PValue);
                sheet.Cell(row, 10).Style.NumberFormat.Format = "0.000";
            }
            Text(sheet.Cell(row, 11), ReportText.Source(r) ?? "–");
        }
        Widths(sheet, 34, 44, 30, 11, 11, 10, 14, 16, 12, 9, 11);
        sheet.Range(4, 1, Math.Max(row, 4), 3).Style.Alignment.WrapText = true;
        sheet.SheetView.FreezeRows(3);
    }

    private static void Priority(IXLWorksheet sheet, BoardPack pack, PackPriority priority)
    {
        var c = pack.Cover;
        Title(sheet.Cell(1, 1), priority.Title, 14);
        Text(sheet.Cell(2, 1), priority.Aim);
        var year = c.Period.Year;
        HeaderRow(sheet, 4, "Measure", "Period", year.Previous.ToString(), year.ToString(), "% change", pack.AllRows.FirstOrDefault()?.Area.RankHeading ?? "London rank", "Meeting target?",
            "Significant change?", "Target", "Source");
        var row = 4;
        foreach (var r in priority.Rows)
        {
            row++;
            Text(sheet.Cell(row, 1), r.Measure.Name);
            Text(sheet.Cell(row, 2), r.Periods.Current.Describe());
            Value(sheet.Cell(row, 3), r.PreviousValue, r.Measure.Unit.ToString());
            Value(sheet.Cell(row, 4), r.Value, r.Measure.Unit.ToString());
            Change(sheet.Cell(row, 5), r);
            Text(sheet.Cell(row, 6), ReportText.Rank(r) ?? "–");
            Text(sheet.Cell(row, 7), $"{ReportText.StatusIcon(r)} {ReportText.Status(r)}");
            Text(sheet.Cell(row, 8), r.Significance is { } s ? (s.Significant ? "Yes" : "No") : "–");
            Text(sheet.Cell(row, 9), r.Target?.AsPrinted);
            Text(sheet.Cell(row, 10), r.Current is null ? "–" : $"{ReportText.Source(r)}: {r.Current.Note}");
        }

        row += 2;
        Title(sheet.Cell(row, 1), "What our data tells us", 12);
        if (priority.Analysis is { } analysis)
        {
            if (analysis.FiguresChanged)
                Text(sheet.Cell(++row, 1), $"The figures have changed since this was published: today's draft for {analysis.Window.Describe()} no longer matches the one it was written from.");
            foreach (var paragraph in analysis.Paragraphs) Text(sheet.Cell(++row, 1), paragraph);
            Text(sheet.Cell(++row, 1), $"Published {analysis.PublishedAt.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} by {analysis.PublishedBy}, for {analysis.Window.Describe()}.");
        }
        else
        {
            Text(sheet.Cell(++row, 1), "No analysis has been published for this priority yet.");
        }

        row += 2;
        Title(sheet.Cell(row, 1), "Targets", 12);
        row++;
        HeaderRow(sheet, row, "Measure", "Year", "Target as printed", "Read as", "Set");
        if (priority.Targets.Count == 0) Text(sheet.Cell(++row, 1), "No targets are set for this priority's measures.");
        foreach (var t in priority.Targets)
        {
            row++;
            Text(sheet.Cell(row, 1), t.MeasureName);
            Text(sheet.Cell(row, 2), t.FinancialYear);
            Text(sheet.Cell(row, 3), t.AsPrinted);
            Text(sheet.Cell(row, 4), t.Meaning);
            Text(sheet.Cell(row, 5), t.Set);
        }

        row += 2;
        Title(sheet.Cell(row, 1), "Actions", 12);
        row++;
        HeaderRow(sheet, row, "Action", "Detail", "Theme", "Lead agency", "Due", "Status", "Complete", "Latest update");
        foreach (var a in priority.Actions)
        {
            row++;
            Text(sheet.Cell(row, 1), a.Text);
            Text(sheet.Cell(row, 2), a.Detail);
            Text(sheet.Cell(row, 3), a.Theme);
            Text(sheet.Cell(row, 4), a.LeadAgency);
            if (a.DueDate is { } due)
            {
                sheet.Cell(row, 5).SetValue(due.ToDateTime(TimeOnly.MinValue));
                sheet.Cell(row, 5).Style.NumberFormat.Format = DateFormat;
            }
            Text(sheet.Cell(row, 6), a.Status);
            sheet.Cell(row, 7).SetValue(a.PercentComplete / 100m);
            sheet.Cell(row, 7).Style.NumberFormat.Format = "0%";
            Text(sheet.Cell(row, 8), a.LatestUpdate?.Summary);
        }
        Widths(sheet, 60, 36, 14, 14, 12, 14, 14, 30, 12, 44);
        sheet.Range(5, 1, row, 10).Style.Alignment.WrapText = true;
        sheet.Range(5, 1, row, 10).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        sheet.SheetView.FreezeRows(4);
    }

    private static void Monthly(IXLWorksheet sheet, BoardPack pack)
    {
        HeaderRow(sheet, 1, "Measure code", "Measure", "Area", "Month", "Value", "Source", "Source note");
        var row = 1;
        foreach (var p in pack.Monthly)
        {
            row++;
            Text(sheet.Cell(row, 1), p.Measure);
            Text(sheet.Cell(row, 2), p.MeasureName);
            Text(sheet.Cell(row, 3), p.Area);
            Text(sheet.Cell(row, 4), p.Month);
            sheet.Cell(row, 5).SetValue(p.Value);
            sheet.Cell(row, 5).Style.NumberFormat.Format = decimal.IsInteger(p.Value) ? CountFormat : "#,##0.00";
            Text(sheet.Cell(row, 6), p.Source);
            Text(sheet.Cell(row, 7), p.SourceNote);
        }
        if (pack.Monthly.Count == 0)
            Text(sheet.Cell(2, 1), $"No monthly figures are stored for {pack.Cover.Area} from {pack.Cover.PreviousPeriodDescription} to {pack.Cover.PeriodDescription}: the pack rests on the period figures on the Figures sheet.");
        Widths(sheet, 28, 40, 24, 10, 12, 12, 50);
        sheet.SheetView.FreezeRows(1);
    }

    /// <summary>Each headline crime measure by ward, largest first: the page's table, every ward.</summary>
    private static void Hotspots(IXLWorksheet sheet, BoardPack pack)
    {
        var row = 0;
        foreach (var t in pack.Hotspots)
        {
            row += row == 0 ? 1 : 2;
            Title(sheet.Cell(row, 1), $"{t.MeasureName} by ward, {t.Area}: {t.Period.From} to {t.Period.To} against {t.PreviousPeriod.From} to {t.PreviousPeriod.To}", 12);
            row++;
            HeaderRow(sheet, row, "Ward code", "Ward", $"{t.Period.From} to {t.Period.To}", $"{t.PreviousPeriod.From} to {t.PreviousPeriod.To}", "% change",
                "Is the change real?", $"Share of {t.Area}", "Per 1,000 residents");
            foreach (var w in t.SmallAreas)
            {
                row++;
                Text(sheet.Cell(row, 1), w.Code);
                Text(sheet.Cell(row, 2), w.Name);
                sheet.Cell(row, 3).SetValue(w.Value);
                sheet.Cell(row, 3).Style.NumberFormat.Format = CountFormat;
                if (w.Previous is { } previous)
                {
                    sheet.Cell(row, 4).SetValue(previous);
                    sheet.Cell(row, 4).Style.NumberFormat.Format = CountFormat;
                }
                Text(sheet.Cell(row, 5), w.ChangeText);
                Text(sheet.Cell(row, 6), w.Significance is { } s ? (s.Significant ? "Yes" : "No") : "–");
                sheet.Cell(row, 7).SetValue(w.SharePercent);
                sheet.Cell(row, 7).Style.NumberFormat.Format = PercentageValueFormat;
                if (w.RatePer1000 is { } rate)
                {
                    sheet.Cell(row, 8).SetValue(rate);
                    sheet.Cell(row, 8).Style.NumberFormat.Format = RateFormat;
                }
            }
            row++;
            Text(sheet.Cell(row, 1), $"From import{(t.Imports.Count == 1 ? "" : "s")} {string.Join(", ", t.Imports.Select(i => $"#{i}"))}" +
                (t.MissingMonths.Count > 0 ? $"; no ward file covers {string.Join(", ", t.MissingMonths)}" : "") + ". Is the change real?: Poisson means test, 95%.");
        }
        Widths(sheet, 12, 28, 16, 16, 16, 14, 16, 14);
    }

    private static void Figures(IXLWorksheet sheet, BoardPack pack)
    {
        HeaderRow(sheet, 1, "Measure code", "Measure", "Area", "From", "To", "Value", "Source", "Source note", "Entered by", "Entered at");
        var row = 1;
        foreach (var f in pack.Figures)
        {
            row++;
            Text(sheet.Cell(row, 1), f.Measure);
            Text(sheet.Cell(row, 2), f.MeasureName);
            Text(sheet.Cell(row, 3), f.Area);
            Text(sheet.Cell(row, 4), f.From);
            Text(sheet.Cell(row, 5), f.To);
            Value(sheet.Cell(row, 6), f.Value, f.Unit);
            Text(sheet.Cell(row, 7), f.Source);
            Text(sheet.Cell(row, 8), f.SourceNote);
            Text(sheet.Cell(row, 9), f.EnteredBy);
            sheet.Cell(row, 10).SetValue(f.EnteredAt.UtcDateTime);
            sheet.Cell(row, 10).Style.NumberFormat.Format = DateTimeFormat;
        }
        Widths(sheet, 28, 40, 24, 10, 10, 12, 12, 50, 20, 18);
        sheet.SheetView.FreezeRows(1);
    }

    /// <summary>
    /// Text, stored as text: never parsed as a number, date or formula. Text that a spreadsheet could take for a
    /// formula (=, +, -, @, tab, CR first) also gets Excel's quote prefix, so editing the cell keeps it text.
    /// </summary>
    public static void Text(IXLCell cell, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        cell.SetValue(text);
        cell.DataType = XLDataType.Text;
        if (SpreadsheetText.LooksLikeFormula(text)) cell.Style.IncludeQuotePrefix = true;
    }

    private static void Value(IXLCell cell, decimal? value, string unit)
    {
        if (value is not { } v)
        {
            Text(cell, "–");
            cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
            return;
        }
        cell.SetValue(v);
        cell.Style.NumberFormat.Format = unit switch
        {
            nameof(MeasureUnit.RatePer1000) => RateFormat,
            nameof(MeasureUnit.Percentage) => PercentageValueFormat,
            _ => CountFormat,
        };
    }

    /// <summary>% change as a number (-0.058) shown as -5.8%; "–" where there is nothing to compare.</summary>
    private static void Change(IXLCell cell, MeasureRow r)
    {
        if (r.ChangePercent is { } change)
        {
            cell.SetValue(change / 100m);
            cell.Style.NumberFormat.Format = ChangeFormat;
        }
        else
        {
            Text(cell, ReportText.Change(r));
            cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
        }
    }

    private static void Title(IXLCell cell, string text, double size)
    {
        Text(cell, text);
        cell.Style.Font.Bold = true;
        cell.Style.Font.FontSize = size;
    }

    private static void Header(IXLCell cell, string text)
    {
        Text(cell, text);
        cell.Style.Font.Bold = true;
    }

    private static void HeaderRow(IXLWorksheet sheet, int row, params string[] headers)
    {
        for (var i = 0; i < headers.Length; i++)
        {
            var cell = sheet.Cell(row, i + 1);
            Header(cell, headers[i]);
            cell.Style.Fill.BackgroundColor = XLColor.FromHtml("#E6E9EE");
            cell.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
            cell.Style.Alignment.WrapText = true;
        }
    }

    private static void Widths(IXLWorksheet sheet, params double[] widths)
    {
        for (var i = 0; i < widths.Length; i++) sheet.Column(i + 1).Width = widths[i];
    }

    /// <summary>Sheet names: at most 31 characters, none of []:*?/\, no leading or trailing apostrophe, unique.</summary>
    public sealed class SheetNames
    {
        private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

        public string Unique(string wanted)
        {
            var clean = new string(wanted.Where(ch => ch is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).ToArray()).Trim().Trim('\'').Trim();
            if (clean.Length == 0) clean = "Sheet";
            var name = Cut(clean, 31);
            for (var n = 2; !used.Add(name); n++)
            {
                var suffix = $" ({n})";
                name = Cut(clean, 31 - suffix.Length) + suffix;
            }
            return name;
        }

        /// <summary>Cut at a word boundary where there is one in the second half, so names stay readable.</summary>
        private static string Cut(string s, int max)
        {
            if (s.Length <= max) return s;
            var space = s.LastIndexOf(' ', max);
            return (space > max / 2 ? s[..space] : s[..max]).TrimEnd();
        }
    }
}
