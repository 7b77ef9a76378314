using System.Globalization;
using ClosedXML.Excel;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing;

/// <summary>The rows of an extract, one at a time, whatever the file type: only the current row is held in memory (CSV).</summary>
internal interface IExtractTable : IDisposable
{
    IReadOnlyList<string> Header { get; }
    bool MoveNext();
    /// <summary>The current row's line in the file (1 is the header).</summary>
    long Line { get; }
    int ColumnCount { get; }
    ReadOnlySpan<char> this[int column] { get; }
}

internal static class ExtractTable
{
    /// <summary>Excel workbooks are read whole into memory by ClosedXML, so they are capped; CSV files are streamed and are not.</summary>
    public const long MaxExcelBytes = 40L * 1024 * 1024;

    public static bool IsExcel(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);

    /// <param name="hash">CSV: fed every byte of the file as it is parsed, so hashing needs no read of its own.</param>
    public static IExtractTable Open(string path, string fileName, System.Security.Cryptography.IncrementalHash? hash = null)
    {
        if (IsExcel(fileName))
        {
            var size = new FileInfo(path).Length;
            if (size > MaxExcelBytes)
                throw new ExtractFormatException($"{fileName} is {size / 1024 / 1024} MB: Excel workbooks are limited to {MaxExcelBytes / 1024 / 1024} MB. Save it as CSV, which has no limit.");
            return new ExcelTable(path);
        }
        return new CsvTable(path, hash);
    }
}

/// <summary>A file read once, its SHA-256 taken from the same bytes the parser reads.</summary>
internal sealed class HashingStream(Stream inner, System.Security.Cryptography.IncrementalHash hash) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        hash.AppendData(buffer[..n]);
        return n;
    }

    /// <summary>Hashes whatever the parser left unread (nothing, normally), so the hash is always the whole file's.</summary>
    public void ReadToEnd()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer) > 0) { }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

public sealed class ExtractFormatException(string message) : Exception(message);

internal sealed class CsvTable : IExtractTable
{
    private readonly SepReader reader;
    private readonly HashingStream? hashing;

    public CsvTable(string path, System.Security.Cryptography.IncrementalHash? hash)
    {
        // No header handling by Sep: real headers can repeat names, and the header is validated by ExtractLayout.
        var options = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true });
        if (hash is null)
        {
            reader = options.FromFile(path);
        }
        else
        {
            hashing = new HashingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), hash);
            reader = options.From(hashing);
        }
        if (!reader.MoveNext()) throw new ExtractFormatException("The file is empty: there is no header line.");
        var first = reader.Current;
        var header = new string[first.ColCount];
        for (var i = 0; i < header.Length; i++) header[i] = first[i].ToString();
        Header = header;
    }

    public IReadOnlyList<string> Header { get; }

    public bool MoveNext()
    {
        while (reader.MoveNext())
        {
            // A blank line (often the last) is not a row.
            if (reader.Current.ColCount == 1 && reader.Current[0].Span.IsWhiteSpace()) continue;
            return true;
        }
        return false;
    }

    public long Line => reader.Current.LineNumberFrom;
    public int ColumnCount => reader.Current.ColCount;
    public ReadOnlySpan<char> this[int column] => reader.Current[column].Span;
    public void FinishHash() => hashing?.ReadToEnd();

    public void Dispose()
    {
        reader.Dispose();
        hashing?.Dispose();
    }
}

internal sealed class ExcelTable : IExtractTable
{
    private readonly XLWorkbook workbook;
    private readonly IXLWorksheet sheet;
    private readonly int lastRow;
    private readonly int lastColumn;
    private int current = 1;
    private readonly string[] cells;

    public ExcelTable(string path)
    {
        try { workbook = new XLWorkbook(path); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw new ExtractFormatException($"The file could not be opened as an Excel workbook: {e.Message}"); }
        sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed() ?? throw new ExtractFormatException($"The first worksheet ({sheet.Name}) is empty.");
        lastRow = used.LastRow().RowNumber();
        lastColumn = used.LastColumn().ColumnNumber();
        Header = Enumerable.Range(1, lastColumn).Select(c => Text(sheet.Cell(1, c))).ToList();
        cells = new string[lastColumn];
    }

    private static string Text(IXLCell cell) => cell.Value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "",
        var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public IReadOnlyList<string> Header { get; }

    public bool MoveNext()
    {
        while (++current <= lastRow)
        {
            var any = false;
            for (var c = 0; c < lastColumn; c++)
            {
                cells[c] = Text(sheet.Cell(current, c + 1));
                any |= cells[c].Length > 0;
            }
            if (any) return true;
        }
        return false;
    }

    public long Line => current;
    public int ColumnCount => lastColumn;
    public ReadOnlySpan<char> this[int column] => cells[column];
    public void Dispose() => workbook.Dispose();
}
