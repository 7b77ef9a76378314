using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace KcCsp.Web.Features.Downloads;

/// <summary>
/// A table as a page shows it, ready for download. Cells are text, numbers (decimal or int: written as plain
/// invariant numbers, e.g. -5.8, so a spreadsheet reads them as numbers) or null (empty).
/// </summary>
public sealed record CsvTable(string FileName, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>UTF-8 with a byte-order mark (so Excel reads "✓" and "–" correctly), comma separated, quoted where needed.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text))
        {
            writer.Header.Add(Headers.ToArray());
            if (Rows.Count == 0) writer.Header.Write();
            foreach (var cells in Rows)
            {
                if (cells.Count != Headers.Count) throw new InvalidOperationException($"{FileName}: a row has {cells.Count} cells for {Headers.Count} columns.");
                using var row = writer.NewRow();
                for (var i = 0; i < cells.Count; i++) row[Headers[i]].Set(Cell(cells[i]));
            }
        }
        return stream.ToArray();
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        string s => SpreadsheetText.ForCsv(s),
        // Stored decimals carry their scale (3582.0000); a table shows 3582.
        decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => SpreadsheetText.ForCsv(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
