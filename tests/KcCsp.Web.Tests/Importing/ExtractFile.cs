using System.Text;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// An independent reading of a wide MPS extract for checking the importer: a plain line-by-line split that handles
/// quotes itself (the importer uses Sep). Keys are (area, major, minor, yyyymm) with the names as printed.
/// </summary>
public sealed class ExtractFile
{
    public required List<string> Header { get; init; }
    public required Dictionary<(string Area, string Major, string Minor, int Month), int> Counts { get; init; }

    public static ExtractFile ReadWide(string path)
    {
        var lines = File.ReadLines(path, Encoding.UTF8).Select(l => l.TrimStart('\uFEFF')).Where(l => l.Length > 0).ToList();
        var header = Split(lines[0]);
        int Col(params string[] names) => header.FindIndex(h => names.Contains(h, StringComparer.OrdinalIgnoreCase));
        var (area, major, minor) = (Col("Borough", "LookUp_BoroughName", "BoroughName", "BOCU"), Col("Major Category", "MajorText", "Group"), Col("Minor Category", "MinorText", "SubGroup"));
        var months = header.Select((h, i) => (h, i)).Where(x => x.h.Length == 6 && x.h.All(char.IsAsciiDigit)).ToList();
        var counts = new Dictionary<(string, string, string, int), int>();
        foreach (var line in lines.Skip(1))
        {
            var cells = Split(line);
            foreach (var (h, i) in months)
            {
                var key = (cells[area], cells[major], cells[minor], int.Parse(h));
                counts[key] = counts.GetValueOrDefault(key) + int.Parse(cells[i]);
            }
        }
        return new ExtractFile { Header = header, Counts = counts };
    }

    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c != '\r') cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    public long Sum(string area, Func<string, string, bool> category, int fromMonth, int toMonth) =>
        Counts.Where(c => c.Key.Area == area && c.Key.Month >= fromMonth && c.Key.Month <= toMonth && category(c.Key.Major, c.Key.Minor)).Sum(c => (long)c.Value);
}
