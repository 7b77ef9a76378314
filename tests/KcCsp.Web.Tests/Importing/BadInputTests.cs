using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// A file is imported exactly or refused whole: every kind of bad file, through the command line and the upload page,
/// gets exit code 2 / HTTP 400 with a message naming its problem, and the database stays exactly as it was.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string Wide = "Borough,Major Category,Minor Category,200904,200905";
    private const string Long = "lsoa_code,borough,major_category,minor_category,value,year,month";
    private const string KC = "Kensington and Chelsea,Burglary,Burglary in a Dwelling";
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    public sealed record Case(string Name, string FileName, byte[] Content, string Expected);

    private static Case Csv(string name, string content, string expected, string fileName = "extract.csv") =>
        new(name, fileName, Encoding.UTF8.GetBytes(content), expected);

    private static string Rows(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    /// <summary>Every kind of bad input the importer must refuse, each with the words its message must contain.</summary>
    public static List<Case> Cases()
    {
        var next = DateTime.UtcNow.AddMonths(1);
        var cases = new List<Case>
        {
            // The header's month columns.
            Csv("duplicated month column", Rows("Borough,Major Category,Minor Category,200904,200904", KC + ",1,2"), "Month 2009-04 has 2 columns"),
            Csv("month 00", Rows("Borough,Major Category,Minor Category,200900", KC + ",1"), "'200900' is not a month"),
            Csv("month 13", Rows("Borough,Major Category,Minor Category,200913", KC + ",1"), "'200913' is not a month"),
            Csv("month in 2100", Rows("Borough,Major Category,Minor Category,210001", KC + ",1"), "Month 2100-01 is after the current month"),
            Csv("next month", Rows($"Borough,Major Category,Minor Category,{next:yyyyMM}", KC + ",1"), $"Month {next:yyyy-MM} is after the current month"),
            Csv("month in 1899", Rows("Borough,Major Category,Minor Category,189912", KC + ",1"), "Month 1899-12 is before 2000-01"),
            Csv("two area columns", Rows("Borough,LookUp_BoroughName,Major Category,Minor Category,200904", "Kensington and Chelsea,Westminster,Burglary,Burglary in a Dwelling,1"), "A second area column"),
            // Long-form months.
            Csv("long form dated 2200", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2200,1"), "Month 2200-01 is after the current month"),
            Csv("long form month 13", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2009,13"), "'13' is not a month (1 to 12)"),
            Csv("long form month 0", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2009,0"), "'0' is not a month (1 to 12)"),
            Csv("long form 1999", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,1999,12"), "Month 1999-12 is before 2000-01"),
            Csv("long form year as words", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,twenty,1"), "'twenty' is not a year"),
            // Duplicate rows.
            Csv("duplicate wide rows", Rows(Wide, KC + ",1,2", KC + ",3,4"), "line 3: This row repeats an earlier row"),
            Csv("duplicate wide rows, two spellings", Rows(Wide, KC + ",1,2", "KENSINGTON & CHELSEA,Burglary,Burglary in a Dwelling,3,4"), "line 3: This row repeats an earlier row"),
            Csv("duplicate long rows", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,5,2009,4",
                "E01000002,Kensington and Chelsea,Burglary,Burglary in a Dwelling,1,2009,4", "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,0,2009,4"),
                "line 4: This row repeats an earlier row's area, category names, month 2009-04"),
            Csv("duplicate ward rows", Rows("WardCode,WardName,Borough,Major Category,Minor Category,200904", "E05009388,Abingdon," + KC + ",3", "E05009388,Abingdon," + KC + ",4"),
                "This row repeats an earlier row"),
            // Counts.
            Csv("negative count", Rows(Wide, KC + ",-3,2"), "line 2, column 4 (200904): '-3' is negative"),
            Csv("decimal count", Rows(Wide, KC + ",1.5,2"), "'1.5' is not a whole number"),
            Csv("count with an exponent", Rows(Wide, KC + ",1e3,2"), "'1e3' is not a whole number"),
            Csv("count with a plus sign", Rows(Wide, KC + ",+5,2"), "'+5' has a sign"),
            Csv("count beyond int", Rows(Wide, KC + ",99999999999,2"), "'99999999999' is larger than the largest count"),
            Csv("count in words", Rows(Wide, KC + ",lots,2"), "'lots' is not a count"),
            Csv("empty count", Rows(Wide, KC + ",,2"), "The count is empty"),
            Csv("count with a thousands separator", Rows(Wide, KC + ",\"1,000\",2"), "'1,000' is not a count"),
            Csv("12.0 is not a count", Rows(Wide, KC + ",12.0,2"), "'12.0' is not a whole number"),
            Csv("long form negative value", Rows(Long, "E01000001,Kensington and Chelsea,Burglary,Burglary in a Dwelling,-1,2009,4"), "'-1' is negative"),
            // Structure.
            Csv("short row", Rows(Wide, KC + ",1"), "The row has 4 values; the header has 5"),
            Csv("long row", Rows(Wide, KC + ",1,2,3"), "The row has 6 values; the header has 5"),
            Csv("unterminated quote at the end", Rows(Wide, KC + ",1,2", "\"Westminster,Burglary,Burglary in a Dwelling,1,2"), "never closes"),
            Csv("unterminated quote mid-file", Rows(Wide, "\"Kensington and Chelsea,Burglary,Burglary in a Dwelling,1,2", "Westminster,Burglary,Burglary in a Dwelling,1,2"), "opened on line 2 never closes"),
            Csv("semicolons", Rows("Borough;Major Category;Minor Category;200904", "Kensington and Chelsea;Burglary;Burglary in a Dwelling;1"), "separates its values with ';'"),
            Csv("tabs", Rows("Borough\tMajor Category\tMinor Category\t200904", "Kensington and Chelsea\tBurglary\tBurglary in a Dwelling\t1"), "separates its values with tabs"),
            Csv("a row 200,000 characters long", Rows(Wide, KC + ",1," + new string('9', 200_000)), "is longer than 100,000 characters"),
            Csv("empty area", Rows(Wide, ",Burglary,Burglary in a Dwelling,1,2"), "line 2, column 1 (Borough): The area name is empty"),
            Csv("empty minor category", Rows(Wide, "Westminster,Burglary,,1,2"), "The minor category is empty"),
            Csv("area name too long", Rows(Wide, new string('A', 300) + ",Burglary,Burglary in a Dwelling,1,2"), "at most 120 are accepted"),
            Csv("small-area code too long", Rows(Long, new string('E', 30) + ",Kensington and Chelsea,Burglary,Burglary in a Dwelling,1,2009,4"), "is not a small-area code"),
            Csv("a name over two lines", Rows(Wide, "\"Kensington\nand Chelsea\",Burglary,Burglary in a Dwelling,1,2"), "runs over more than one line"),
            // Not extracts.
            Csv("empty file", "", "The file is empty"),
            Csv("header only", Rows(Wide), "has a header but no rows"),
            Csv("another table", Rows("Name,Value", "x,1"), "It has no area column"),
            Csv("an HTML page", "<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>Page not found</body></html>\n", "web page"),
            Csv("a PDF", "%PDF-1.7\n1 0 obj\n", "is a PDF document"),
            Csv("JSON", "[{\"borough\":\"Kensington and Chelsea\"}]", "looks like JSON"),
            new("binary", "extract.csv", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x3E, 0x00, 0x01, 0x00, 0x00, 0x00], "is not a text file"),
            Csv("a CSV named .xlsx", Rows(Wide, KC + ",1,2"), "is named .xlsx but is not an Excel workbook", "extract.xlsx"),
            Csv("a CSV named .xls", Rows(Wide, KC + ",1,2"), "is named .xls but is not an Excel 97-2003 workbook", "extract.xls"),
            new("a workbook named .csv", "extract.csv", Workbook(200904, 1), "is a zip archive or an Excel .xlsx workbook, not a CSV file"),
            new("a zip that is not a workbook", "extract.xlsx", Zip(("data.csv", Rows(Wide, KC + ",1,2"))), "not an Excel workbook (it has no xl/workbook.xml)"),
            new("a truncated workbook", "extract.xlsx", Workbook(200904, 1)[..600], "is not a valid .xlsx workbook"),
            new("a decimal count in a workbook", "extract.xlsx", Workbook(200904, 1.5), "'1.5' is not a whole number"),
            new("a workbook month in 2100", "extract.xlsx", Workbook(210001, 1), "Month 2100-01 is after the current month"),
            new("a workbook with 60 sheets", "extract.xlsx", Workbook(200904, 1, sheets: 60), "worksheets; at most 50 are accepted"),
            new("a workbook 1,200 columns wide", "extract.xlsx", Workbook(200904, 1, lastColumn: 1200), "has 1,200 columns; at most 1,000 are accepted"),
            new("a workbook whose shared strings unpack to 40 MB", "extract.xlsx", SharedStringsBomb(40), "its shared strings unpack to 40 MB"),
            // Encodings: text that is not valid in the encoding its first bytes showed.
            new("invalid UTF-8 after the first 8 KB", "extract.csv", InvalidUtf8AfterSniff(), "not valid text in its encoding"),
            new("UTF-16 with a bad row", "extract.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Rows(Wide, KC + ",x,2"))], "'x' is not a count"),
        };
        // 50,000 made-up area names: refused at the sixth, quickly, and named.
        var madeUp = new StringBuilder(Wide + "\r\n");
        for (var i = 0; i < 50_000; i++) madeUp.Append($"Borough {i:D5},Burglary,Burglary in a Dwelling,1,2\r\n");
        // A bad count after 6,000 good ones: several batches of counts are already written (on PostgreSQL, copied) when
        // the problem is found, and only the import's transaction takes them back.
        var lateProblem = new StringBuilder("LSOA Code,Borough,Major Category,Minor Category,200904,200905\r\n");
        for (var i = 0; i < 3_000; i++) lateProblem.Append($"E0{1_000_000 + i},Westminster,Burglary,Burglary in a Dwelling,1,2\r\n");
        lateProblem.Append("E09999999,Westminster,Burglary,Burglary in a Dwelling,x,2\r\n");
        cases.Add(Csv("a bad count after 6,000 good counts", lateProblem.ToString(), "'x' is not a count"));
        cases.Add(Csv("50,000 made-up area names", madeUp.ToString(), "More than 5 area names are neither London boroughs nor areas the portal knows ('Borough 00000'"));
        return cases;
    }

    /// <summary>A real .xlsx (written by ClosedXML, as Excel would) with one K&C row and one count.</summary>
    internal static byte[] Workbook(int month, double count, int sheets = 1, int lastColumn = 0)
    {
        using var workbook = new ClosedXML.Excel.XLWorkbook();
        var sheet = workbook.AddWorksheet("Data");
        sheet.Cell(1, 1).Value = "Borough"; sheet.Cell(1, 2).Value = "Major Category"; sheet.Cell(1, 3).Value = "Minor Category"; sheet.Cell(1, 4).Value = month;
        sheet.Cell(2, 1).Value = "Kensington and Chelsea"; sheet.Cell(2, 2).Value = "Burglary"; sheet.Cell(2, 3).Value = "Burglary in a Dwelling"; sheet.Cell(2, 4).Value = count;
        for (var i = 2; i <= sheets; i++) workbook.AddWorksheet($"Sheet{i}").Cell(1, 1).Value = i;
        // A cell far to the right widens the sheet's declared dimension (A1:…), which is checked before any row is read.
        if (lastColumn > 0) sheet.Cell(2, lastColumn).Value = "x";
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open());
                writer.Write(content);
            }
        return stream.ToArray();
    }

    /// <summary>A valid workbook whose shared-strings part is replaced by one that unpacks to <paramref name="megabytes"/> MB.</summary>
    internal static byte[] SharedStringsBomb(int megabytes)
    {
        using var stream = new MemoryStream();
        stream.Write(Workbook(200904, 1));
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("xl/sharedStrings.xml")?.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Fastest).Open());
            writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
            var item = "<si><t>" + new string('A', 1000) + "</t></si>";
            for (long written = 0; written < megabytes * 1024L * 1024; written += item.Length) writer.Write(item);
            writer.Write("</sst>");
        }
        return stream.ToArray();
    }

    private static byte[] InvalidUtf8AfterSniff()
    {
        var rows = new StringBuilder(Wide + "\r\n");
        for (var i = 0; i < 400; i++) rows.Append($"Westminster,Burglary,Burglary type {i},1,2\r\n");
        return [.. Encoding.UTF8.GetBytes(rows.ToString()), .. "Westminster,Burglary,Caf"u8, 0xE9, .. ",1,2\r\n"u8];
    }

    private static MultipartFormDataContent Upload(string token, string fileName, byte[] content)
    {
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return form;
    }

    [Fact]
    public Task Every_bad_file_is_refused_whole_with_its_problem_named_through_the_cli_and_the_upload() => RefuseEveryBadFileAsync(factory);

    /// <summary>
    /// The same files on PostgreSQL, where the counts go in by binary COPY as they are read: a file whose problem is
    /// found after good rows have been copied leaves nothing only because the import's transaction rolls them back.
    /// </summary>
    [Fact]
    public async Task Every_bad_file_is_refused_whole_on_postgresql()
    {
        await using var postgres = new PortalFactory(TestEnvironment.PostgresConnectionString());
        await RefuseEveryBadFileAsync(postgres);
    }

    private static async Task RefuseEveryBadFileAsync(PortalFactory factory)
    {
        var cases = Cases();
        cases.Should().HaveCountGreaterThanOrEqualTo(40);
        // Something in the database to keep: a good import first.
        var good = Path.Combine(factory.WorkDirectory, "good.csv");
        await File.WriteAllTextAsync(good, Rows(Wide, KC + ",10,12", "Westminster,Robbery,Personal Property,3,4"));
        await ImportTests.ImportAsync(factory, good);
        var client = await factory.SignedInClientAsync("Analyst");
        var before = await ImportKillTests.SnapshotAsync(factory);

        var failures = new List<string>();
        var timer = Stopwatch.StartNew();
        foreach (var c in cases)
        {
            var folder = Path.Combine(factory.WorkDirectory, "bad", cases.IndexOf(c).ToString());
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, c.FileName);
            await File.WriteAllBytesAsync(path, c.Content);
            var (exit, stdout, stderr) = await factory.RunCliAsync("import", path);
            if (exit != 2 || !stderr.Contains(c.Expected, StringComparison.Ordinal) || !stderr.Contains("Nothing was written"))
                failures.Add($"CLI, {c.Name}: exit {exit}; expected \"{c.Expected}\"; stderr: {Cut(stderr)} stdout: {Cut(stdout)}");

            var page = await client.GetStringAsync("/imports");
            var response = await client.PostAsync("/imports", Upload(Forms.Token(page), c.FileName, c.Content));
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            // The page shows the line and column in cells of their own: the message alone is looked for.
            var message = System.Text.RegularExpressions.Regex.Replace(c.Expected, @"^line \d+(, column \d+ \([^)]*\))?: ", "");
            if (response.StatusCode != HttpStatusCode.BadRequest || !html.Contains(message, StringComparison.Ordinal))
                failures.Add($"upload, {c.Name}: HTTP {(int)response.StatusCode}; expected \"{c.Expected}\"; page: {Cut(Between(html, "data-validation-report", 600))}");
        }
        timer.Stop();

        failures.Should().BeEmpty();
        (await ImportKillTests.SnapshotAsync(factory)).Should().BeEquivalentTo(before, "no refused file writes anything");
        TestContext.Current.TestOutputHelper?.WriteLine($"{cases.Count} bad files through the CLI and the upload page in {timer.Elapsed.TotalSeconds:F1} s");
        timer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"{cases.Count} files through the CLI and the upload page");
    }

    [Fact]
    public async Task Bad_requests_to_the_upload_page_get_400_not_500()
    {
        var client = await factory.SignedInClientAsync("Analyst");
        var token = Forms.Token(await client.GetStringAsync("/imports"));
        var before = await ImportKillTests.SnapshotAsync(factory);

        var noFile = await client.PostAsync("/imports", new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } });
        noFile.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await noFile.Content.ReadAsStringAsync()).Should().Contain("Choose a CSV or Excel file");

        var notMultipart = await client.PostAsync("/imports", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["file"] = "x" }));
        notMultipart.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var emptyFile = await client.PostAsync("/imports", Upload(token, "empty.csv", []));
        emptyFile.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // A hostile file name: only its last part is kept, and a long one is shortened.
        var traversal = await client.PostAsync("/imports", Upload(token, "../../../../etc/" + new string('x', 500) + ".csv", Encoding.UTF8.GetBytes(Rows(Wide, KC + ",x,2"))));
        traversal.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = WebUtility.HtmlDecode(await traversal.Content.ReadAsStringAsync());
        html.Should().Contain("'x' is not a count").And.NotContain("../");

        (await ImportKillTests.SnapshotAsync(factory)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Hostile_files_are_refused_by_the_real_executable_within_300_MB_of_memory()
    {
        (await factory.RunCliAsync("migrate")).ExitCode.Should().Be(0);
        var before = await ImportKillTests.SnapshotAsync(factory);
        var files = new List<(string Path, string Expected)>();
        // A 60 MB single line.
        var line = Path.Combine(factory.WorkDirectory, "one-line.csv");
        await using (var writer = new StreamWriter(line))
        {
            await writer.WriteAsync(Wide + "\r\n");
            var chunk = new string('7', 1 << 20);
            for (var i = 0; i < 60; i++) await writer.WriteAsync(chunk);
        }
        files.Add((line, "is longer than 100,000 characters"));
        // An unterminated quote opening a 60 MB field that runs to the end of the file, over many lines.
        var quote = Path.Combine(factory.WorkDirectory, "open-quote.csv");
        await using (var writer = new StreamWriter(quote))
        {
            await writer.WriteAsync(Wide + "\r\n\"Kensington and Chelsea,Burglary,Burglary in a Dwelling,1,2\r\n");
            var row = string.Concat(Enumerable.Repeat("Westminster,Burglary,Burglary in a Dwelling,1,2\r\n", 20_000));
            for (var i = 0; i < 60; i++) await writer.WriteAsync(row);
        }
        files.Add((quote, "A quoted field opened on line 2 runs on for more than 100,000 characters"));
        // A workbook whose shared strings unpack to 250 MB (the issue's 18 MB .xlsx took 2.6 GB).
        var bomb = Path.Combine(factory.WorkDirectory, "bomb.xlsx");
        await File.WriteAllBytesAsync(bomb, SharedStringsBomb(250));
        files.Add((bomb, "its shared strings unpack to 250 MB"));
        // 50,000 made-up area names.
        var areas = Path.Combine(factory.WorkDirectory, "areas.csv");
        await File.WriteAllLinesAsync(areas, [Wide, .. Enumerable.Range(0, 50_000).Select(i => $"Borough {i:D5},Burglary,Burglary in a Dwelling,1,2")]);
        files.Add((areas, "More than 5 area names"));

        var timer = Stopwatch.StartNew();
        foreach (var (path, expected) in files)
        {
            var (exit, stderr, peak) = await RunMeasuredAsync(path);
            exit.Should().Be(2, stderr);
            stderr.Should().Contain(expected).And.Contain("Nothing was written");
            stderr.Length.Should().BeLessThan(4000, "a report never echoes the file");
            peak.Should().BeLessThan(300L * 1024 * 1024, $"{Path.GetFileName(path)} peaked at {peak / 1024 / 1024} MB");
            TestContext.Current.TestOutputHelper?.WriteLine($"{Path.GetFileName(path)} ({new FileInfo(path).Length / 1024 / 1024} MB): exit {exit}, peak {peak / 1024 / 1024} MB");
        }
        timer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        (await ImportKillTests.SnapshotAsync(factory)).Should().BeEquivalentTo(before);
    }

    /// <summary>The real executable's `import`, its peak resident memory read from /proc while it runs (VmHWM only grows).</summary>
    private async Task<(int Exit, string Stderr, long PeakBytes)> RunMeasuredAsync(string file)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = factory.WorkDirectory };
        info.ArgumentList.Add(ImportKillTests.WebDll());
        info.ArgumentList.Add("import");
        info.ArgumentList.Add(file);
        foreach (var (key, value) in factory.Settings) info.Environment[key.Replace(":", "__")] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                foreach (var l in await File.ReadAllLinesAsync($"/proc/{process.Id}/status"))
                    if (l.StartsWith("VmHWM:")) peak = Math.Max(peak, long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
            }
            catch (IOException) { }
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        peak.Should().BeGreaterThan(0, "the process's memory was read while it ran");
        return (process.ExitCode, await stderr + await stdout, peak);
    }

    private static string Cut(string s) => s.Length > 500 ? s[..500] + "…" : s;

    private static string Between(string html, string marker, int length)
    {
        var i = html.IndexOf(marker, StringComparison.Ordinal);
        return i < 0 ? html[..Math.Min(html.Length, length)] : html.Substring(i, Math.Min(length, html.Length - i));
    }
}
