using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing;

/// <summary>The rows of an extract, one at a time, whatever the file type: only the current row is held in memory.</summary>
internal interface IExtractTable : IDisposable
{
    IReadOnlyList<string> Header { get; }
    /// <summary>The next row; a problem with the file's structure (an unterminated quote, a row too long, bytes that are
    /// not text) is thrown as an <see cref="ExtractFormatException"/> with its line.</summary>
    bool MoveNext();
    /// <summary>The current row's line in the file (1 is the header).</summary>
    long Line { get; }
    int ColumnCount { get; }
    ReadOnlySpan<char> this[int column] { get; }
    /// <summary>How the file was read, for the report: "CSV, UTF-8", "CSV, Windows-1252", "Excel (.xlsx), sheet Data".</summary>
    string Reading { get; }
}

/// <summary>Which reader a file needs, from its first bytes (never from its name alone), and what it may be called.</summary>
public static class ExtractFiles
{
    /// <summary>The file names the inbox picks up and the upload page offers (a .zip is police.uk street-level data).</summary>
    public static bool IsExtractName(string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || IsExcelName(fileName) || IsLegacyExcelName(fileName)
        || fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static bool IsExcelName(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);

    public static bool IsLegacyExcelName(string fileName) => fileName.EndsWith(".xls", StringComparison.OrdinalIgnoreCase);
}

internal static class ExtractTable
{
    private const int SniffBytes = 8192;

    static ExtractTable() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <param name="hash">Fed every byte of the file as it is read (CSV) or hashed beforehand (Excel), so the hash is always the whole file's.</param>
    public static IExtractTable Open(string path, string fileName, ExtractLimits limits, System.Security.Cryptography.IncrementalHash hash)
    {
        var sniff = new byte[SniffBytes];
        int length;
        long size;
        using (var probe = File.OpenRead(path))
        {
            size = probe.Length;
            length = probe.ReadAtLeast(sniff, SniffBytes, throwOnEndOfStream: false);
        }
        var head = sniff.AsSpan(0, length);
        if (length == 0) throw new ExtractFormatException("The file is empty: there is no header line.");

        var isZip = head.StartsWith("PK\x03\x04"u8);
        var isOle = head.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 });
        if (ExtractFiles.IsExcelName(fileName))
        {
            if (!isZip)
                throw new ExtractFormatException(isOle
                    ? $"{fileName} is a legacy Excel 97-2003 workbook named .xlsx: rename it .xls."
                    : $"{fileName} is named .xlsx but is not an Excel workbook ({Describe(head)}). If it is a CSV file, name it .csv.");
            HashFile(path, hash);
            return new ExcelTable(path, fileName, legacy: false, size, limits);
        }
        if (ExtractFiles.IsLegacyExcelName(fileName))
        {
            if (!isOle)
                throw new ExtractFormatException(isZip
                    ? $"{fileName} is an Excel .xlsx workbook named .xls: rename it .xlsx."
                    : $"{fileName} is named .xls but is not an Excel 97-2003 workbook ({Describe(head)}). If it is a CSV file, name it .csv.");
            if (size > limits.MaxLegacyExcelBytes)
                throw new ExtractFormatException($"{fileName} is {size / 1024 / 1024} MB: legacy .xls workbooks are read whole, so they are limited to {limits.MaxLegacyExcelBytes / 1024 / 1024} MB (Import:Limits:MaxLegacyExcelBytes). Save it as .xlsx or CSV.");
            HashFile(path, hash);
            return new ExcelTable(path, fileName, legacy: true, size, limits);
        }
        if (isZip) throw new ExtractFormatException($"{fileName} is a zip archive or an Excel .xlsx workbook, not a CSV file: if it is a workbook, name it .xlsx; if a zip, unpack it first.");
        if (isOle) throw new ExtractFormatException($"{fileName} is an Excel 97-2003 workbook, not a CSV file: name it .xls.");
        var encoding = TextEncoding(head, length == SniffBytes, fileName);
        return new CsvTable(path, encoding, limits, hash);
    }

    /// <summary>The text encoding of a CSV file: a byte-order mark says; otherwise UTF-8 when its first bytes are valid
    /// UTF-8 (checked strictly as the file is read), else Windows-1252 (Latin-1 as Excel saves it). Anything else is refused.</summary>
    private static Encoding TextEncoding(ReadOnlySpan<byte> head, bool truncated, string fileName)
    {
        if (head.StartsWith(new byte[] { 0xFF, 0xFE }) || head.StartsWith(new byte[] { 0xFE, 0xFF }))
            return head[0] == 0xFF ? new UnicodeEncoding(false, true, true) : new UnicodeEncoding(true, true, true);
        if (head.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) return new UTF8Encoding(true, true);
        var nul = head.IndexOf((byte)0);
        if (nul >= 0)
        {
            // UTF-16 without a byte-order mark: every other byte is zero in Latin text.
            var evenZeros = 0; var oddZeros = 0;
            for (var i = 0; i < head.Length; i++) if (head[i] == 0) { if (i % 2 == 0) evenZeros++; else oddZeros++; }
            if (oddZeros > head.Length / 3 && evenZeros == 0) return new UnicodeEncoding(false, false, true);
            if (evenZeros > head.Length / 3 && oddZeros == 0) return new UnicodeEncoding(true, false, true);
            throw new ExtractFormatException($"{fileName} is not a text file: it has a zero byte at offset {nul} ({Describe(head)}). An extract is a CSV file (or an Excel workbook named .xlsx).");
        }
        var text = head;
        if (truncated)
        {
            // The sniff may end inside a multi-byte character.
            var cut = text.Length;
            while (cut > 0 && cut > text.Length - 4 && (text[cut - 1] & 0xC0) == 0x80) cut--;
            if (cut > 0 && text[cut - 1] >= 0xC0) cut--;
            text = text[..cut];
        }
        var trimmed = System.Text.Encoding.ASCII.GetString(head[..Math.Min(head.Length, 64)]).TrimStart();
        if (trimmed.StartsWith('<'))
            throw new ExtractFormatException($"{fileName} is a web page or XML document ({Describe(head)}), not a CSV extract: was a page saved instead of the file?");
        if (head.StartsWith("%PDF"u8))
            throw new ExtractFormatException($"{fileName} is a PDF document, not a CSV extract.");
        if (head.StartsWith("{"u8) || head.StartsWith("["u8))
            throw new ExtractFormatException($"{fileName} looks like JSON ({Describe(head)}), not a CSV extract.");
        return System.Text.Unicode.Utf8.IsValid(text) ? new UTF8Encoding(false, true) : Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The first bytes, readable, for messages: never more than 24 characters of the file.</summary>
    private static string Describe(ReadOnlySpan<byte> head)
    {
        var sb = new StringBuilder("it starts ");
        foreach (var b in head[..Math.Min(head.Length, 24)])
            sb.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        return sb.ToString();
    }

    private static void HashFile(string path, System.Security.Cryptography.IncrementalHash hash)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer.AsSpan(0, n));
    }
}

/// <summary>
/// A file read once, its SHA-256 taken from the same bytes the parser reads. The hashing runs on a thread of its own
/// (each block the parser reads is copied to it through a short bounded queue), so the parser's thread — the import's
/// critical path — does not wait for it.
/// </summary>
internal sealed class HashingStream : Stream
{
    private const int QueuedBlocks = 16;
    private readonly Stream inner;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Block, int Length)> blocks = new(QueuedBlocks);
    private readonly Task hashing;
    private bool disposed;

    public HashingStream(Stream inner, System.Security.Cryptography.IncrementalHash hash)
    {
        this.inner = inner;
        hashing = Task.Factory.StartNew(() =>
        {
            foreach (var (block, length) in blocks.GetConsumingEnumerable())
            {
                hash.AppendData(block.AsSpan(0, length));
                System.Buffers.ArrayPool<byte>.Shared.Return(block);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0)
        {
            var block = System.Buffers.ArrayPool<byte>.Shared.Rent(n);
            buffer[..n].CopyTo(block);
            blocks.Add((block, n));
        }
        return n;
    }

    /// <summary>Hashes whatever the parser left unread (nothing, normally) and waits for the hashing thread, so the
    /// hash is the whole file's.</summary>
    public void ReadToEnd()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer) > 0) { }
        blocks.CompleteAdding();
        hashing.GetAwaiter().GetResult();
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
        // Disposed twice (by the text reader, then by the table): only the first does anything.
        if (disposing && !disposed)
        {
            disposed = true;
            if (!blocks.IsAddingCompleted) blocks.CompleteAdding();
            try { hashing.Wait(); } catch (AggregateException) { }
            blocks.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A file that cannot be read as an extract; <see cref="Line"/> is where, when known.</summary>
public sealed class ExtractFormatException(string message, long line = 1) : Exception(message)
{
    public long Line { get; } = line;
}

/// <summary>
/// The characters of a CSV file as the parser sees them, with the CSV record boundaries tracked (a quote toggles
/// quoting; a line feed outside quotes ends a record): a record longer than the limit — a 60 MB single line, or an
/// unterminated quote swallowing the rest of the file — is refused at once instead of being buffered, and a file that
/// ends inside quotes is refused with the line the quote opened on.
/// </summary>
internal sealed class BoundedRecordReader(TextReader inner, int maxRecordChars) : TextReader
{
    private bool quoted;
    private long recordChars;
    private long line = 1;
    private long quoteOpenedOn;

    public override int Read(Span<char> buffer)
    {
        int n;
        try { n = inner.Read(buffer); }
        catch (DecoderFallbackException)
        {
            throw new ExtractFormatException($"After line {line} the file has bytes that are not valid text in its encoding: save it as UTF-8 CSV.", line);
        }
        if (n == 0)
        {
            if (quoted) throw new ExtractFormatException($"A quoted field opened on line {quoteOpenedOn} never closes (an unterminated quote): the file ends inside it.", quoteOpenedOn);
            return 0;
        }
        var span = buffer[..n];
        if (!quoted && !span.Contains('"'))
        {
            // The common case, a block without quotes: vectorised counts instead of a look at every line.
            var lastBreak = span.LastIndexOf('\n');
            if (lastBreak < 0) recordChars += n;
            else
            {
                line += span.Count('\n');
                recordChars = n - lastBreak - 1;
            }
            return Checked(n);
        }
        var start = 0;
        while (true)
        {
            var i = span[start..].IndexOfAny('"', '\n');
            if (i < 0)
            {
                recordChars += span.Length - start;
                break;
            }
            i += start;
            if (span[i] == '"')
            {
                quoted = !quoted;
                if (quoted) quoteOpenedOn = line;
                recordChars += i - start + 1;
            }
            else
            {
                line++;
                recordChars = quoted ? recordChars + i - start + 1 : 0;
            }
            start = i + 1;
        }
        return Checked(n);
    }

    private int Checked(int n)
    {
        if (recordChars > maxRecordChars)
            throw new ExtractFormatException(quoted
                ? $"A quoted field opened on line {quoteOpenedOn} runs on for more than {maxRecordChars:N0} characters: an unterminated quote? (Import:Limits:MaxRowCharacters)"
                : $"Line {line} is longer than {maxRecordChars:N0} characters: this is not an MPS extract row (Import:Limits:MaxRowCharacters).", quoted ? quoteOpenedOn : line);
        return n;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Peek() => -1;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class CsvTable : IExtractTable
{
    private readonly SepReader reader;
    private readonly HashingStream hashing;

    public CsvTable(string path, Encoding encoding, ExtractLimits limits, System.Security.Cryptography.IncrementalHash hash)
    {
        // No header handling by Sep: real headers can repeat names, and the header is validated by ExtractLayout.
        var options = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true });
        hashing = new HashingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), hash);
        var text = new BoundedRecordReader(new StreamReader(hashing, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16), limits.MaxRowCharacters);
        Reading = $"CSV, {encoding.WebName switch { "utf-8" => "UTF-8", "utf-16" => "UTF-16LE", "utf-16BE" => "UTF-16BE", "Windows-1252" or "windows-1252" => "Windows-1252 (Latin-1)", var n => n }}";
        try
        {
            reader = options.From(text);
            if (!reader.MoveNext()) throw new ExtractFormatException("The file is empty: there is no header line.");
        }
        catch (ExtractFormatException)
        {
            text.Dispose();
            throw;
        }
        var first = reader.Current;
        var header = new string[first.ColCount];
        for (var i = 0; i < header.Length; i++) header[i] = first[i].ToString();
        Header = header;
    }

    public IReadOnlyList<string> Header { get; }
    public string Reading { get; }

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
    public void FinishHash() => hashing.ReadToEnd();

    public void Dispose()
    {
        reader.Dispose();
        hashing.Dispose();
    }
}

/// <summary>
/// The first worksheet of an .xlsx (or legacy .xls) workbook, streamed by ExcelDataReader: one row in memory at a time
/// (the shared strings are held, within their limit). The workbook's limits are checked before any row is read: the
/// uncompressed size of its zip entries (declared in the zip's directory), the number of sheets, the sheet's dimension.
/// </summary>
internal sealed class ExcelTable : IExtractTable
{
    private readonly Stream stream;
    private readonly IExcelDataReader reader;
    private readonly ExtractLimits limits;
    private readonly int columns;
    private readonly string[] cells;
    private long current = 1;

    public ExcelTable(string path, string fileName, bool legacy, long size, ExtractLimits limits)
    {
        this.limits = limits;
        if (!legacy) CheckZip(path, fileName, limits);
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            reader = legacy ? ExcelReaderFactory.CreateBinaryReader(stream) : ExcelReaderFactory.CreateOpenXmlReader(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stream.Dispose();
            throw new ExtractFormatException($"{fileName} could not be opened as an Excel workbook: {e.Message}");
        }
        try
        {
            if (reader.ResultsCount > limits.MaxExcelSheets)
                throw new ExtractFormatException($"{fileName} has {reader.ResultsCount} worksheets; at most {limits.MaxExcelSheets} are accepted (Import:Limits:MaxExcelSheets). The extract is read from the first.");
            if (reader.RowCount > limits.MaxExcelRows)
                throw new ExtractFormatException($"The first worksheet ({reader.Name}) has {reader.RowCount:N0} rows; at most {limits.MaxExcelRows:N0} are accepted (Import:Limits:MaxExcelRows). Save it as CSV.");
            if (reader.FieldCount > limits.MaxExcelColumns)
                throw new ExtractFormatException($"The first worksheet ({reader.Name}) has {reader.FieldCount:N0} columns; at most {limits.MaxExcelColumns:N0} are accepted (Import:Limits:MaxExcelColumns).");
            columns = reader.FieldCount;
            Reading = $"Excel ({(legacy ? ".xls" : ".xlsx")}), worksheet {reader.Name}";
            if (columns == 0 || !reader.Read()) throw new ExtractFormatException($"The first worksheet ({reader.Name}) is empty.");
            cells = new string[columns];
            Header = Enumerable.Range(0, columns).Select(c => Text(reader.GetValue(c))).ToList();
        }
        catch (Exception e) when (e is not ExtractFormatException && e is not OutOfMemoryException)
        {
            Dispose();
            throw new ExtractFormatException($"{fileName} could not be read as an Excel workbook: {e.Message}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The zip's own directory, read before the workbook is opened: the sizes its parts unpack to and its sheets.</summary>
    private static void CheckZip(string path, string fileName, ExtractLimits limits)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            long total = 0;
            var sheets = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) sheets++;
                if (entry.FullName.Equals("xl/sharedStrings.xml", StringComparison.OrdinalIgnoreCase) && entry.Length > limits.MaxExcelSharedStringsBytes)
                    throw new ExtractFormatException($"{fileName}: its shared strings unpack to {entry.Length / 1024 / 1024:N0} MB; at most {limits.MaxExcelSharedStringsBytes / 1024 / 1024:N0} MB are accepted (Import:Limits:MaxExcelSharedStringsBytes). Save it as CSV.");
            }
            if (total > limits.MaxExcelUncompressedBytes)
                throw new ExtractFormatException($"{fileName} unpacks to {total / 1024 / 1024:N0} MB; at most {limits.MaxExcelUncompressedBytes / 1024 / 1024:N0} MB are accepted (Import:Limits:MaxExcelUncompressedBytes). Save it as CSV.");
            if (sheets > limits.MaxExcelSheets)
                throw new ExtractFormatException($"{fileName} has {sheets} worksheets; at most {limits.MaxExcelSheets} are accepted (Import:Limits:MaxExcelSheets). The extract is read from the first.");
            if (zip.GetEntry("xl/workbook.xml") is null)
                throw new ExtractFormatException($"{fileName} is a zip archive but not an Excel workbook (it has no xl/workbook.xml).");
        }
        catch (InvalidDataException e)
        {
            throw new ExtractFormatException($"{fileName} is not a valid .xlsx workbook (a damaged or incomplete zip: {e.Message})");
        }
    }

    /// <summary>A cell as text: whole numbers without a decimal point (200904, 12), other numbers as written (1.5), so
    /// the same checks apply as to CSV.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        double d when double.IsInteger(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public IReadOnlyList<string> Header { get; } = [];
    public string Reading { get; } = "Excel";

    public bool MoveNext()
    {
        while (true)
        {
            bool read;
            try { read = reader.Read(); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new ExtractFormatException($"The workbook could not be read after row {current}: {e.Message}", current);
            }
            if (!read) return false;
            if (++current > limits.MaxExcelRows)
                throw new ExtractFormatException($"The first worksheet has more than {limits.MaxExcelRows:N0} rows (Import:Limits:MaxExcelRows). Save it as CSV.", current);
            if (reader.FieldCount > columns && Enumerable.Range(columns, reader.FieldCount - columns).Any(c => reader.GetValue(c) is not null))
                throw new ExtractFormatException($"Row {current} has values beyond the sheet's {columns} columns.", current);
            var any = false;
            for (var c = 0; c < columns; c++)
            {
                cells[c] = c < reader.FieldCount ? Text(reader.GetValue(c)) : "";
                any |= cells[c].Length > 0;
            }
            if (any) return true;
        }
    }

    public long Line => current;
    public int ColumnCount => columns;
    public ReadOnlySpan<char> this[int column] => cells[column];

    public void Dispose()
    {
        reader?.Dispose();
        stream.Dispose();
    }
}
