using System.Data.Common;
using System.Diagnostics;
using System.Text;
using KcCsp.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// A kill in the middle of loading leaves the database as it was; running an import again then succeeds. The real
/// executable is killed from outside, as an operator or the OOM killer would, once the database itself shows the
/// import in progress: nothing in the portal knows it is being tested (no test hook in production code).
/// </summary>
public sealed class ImportKillTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Killing_the_import_mid_load_leaves_the_database_unchanged(string provider)
    {
        var data = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        await using var factory = provider == "sqlite" ? new PortalFactory() : new PortalFactory(TestEnvironment.PostgresConnectionString());
        var first = await ImportTests.ImportAsync(factory, TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv"));
        var before = await SnapshotAsync(factory);
        var big = LargeExtract(factory.WorkDirectory, data);

        using (var process = Start(factory, big))
        {
            var stdout = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await WaitUntilLoadingAsync(factory, process);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            lock (stdout) stdout.ToString().Should().NotContain("Imported", "the kill must land inside the import, before its commit");
        }
        SqliteConnection.ClearAllPools();
        (await SnapshotAsync(factory)).Should().BeEquivalentTo(before, "the killed transaction never committed");

        using var rerun = Start(factory, data);
        var output = rerun.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await rerun.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await rerun.WaitForExitAsync(TestContext.Current.CancellationToken);
        rerun.ExitCode.Should().Be(0, stderr);
        (await output).Should().Contain("Imported mps-borough-level-crime-2010-04-to-2022-02.csv as import #");
        first.GetProperty("importId").GetInt32().Should().Be(1);
        (await SnapshotAsync(factory))["SELECT COUNT(*) FROM \"CrimeImports\""].Should().Be(2, "the killed import left no row behind");
    }

    /// <summary>
    /// Waits until the database shows the import's transaction loading counts: on PostgreSQL its binary COPY has sent
    /// 20,000 rows (pg_stat_progress_copy); on SQLite its rollback journal has existed for 300 ms (a write transaction
    /// open, the import's rows being written), so the kill lands in the load, not in the start-up.
    /// </summary>
    private static async Task WaitUntilLoadingAsync(PortalFactory factory, Process process)
    {
        var timer = Stopwatch.StartNew();
        var journal = factory.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(factory.ConnectionString).DataSource + "-journal" : null;
        Stopwatch? journalSeen = null;
        while (timer.Elapsed < TimeSpan.FromMinutes(2))
        {
            process.HasExited.Should().BeFalse("the import must still be running when it is killed");
            if (journal is not null)
            {
                if (!File.Exists(journal)) journalSeen = null;
                else if ((journalSeen ??= Stopwatch.StartNew()).ElapsedMilliseconds >= 300) return;
            }
            else
            {
                await using var connection = new NpgsqlConnection(factory.ConnectionString);
                await connection.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = current_database()", connection);
                if (Convert.ToInt64(await cmd.ExecuteScalarAsync()) >= 20_000) return;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("The import never showed as loading in the database.");
    }

    /// <summary>
    /// An LSOA-level extract of about 1.1 million counts (every borough and category of <paramref name="realFile"/>, 60
    /// small areas each, five years): long enough to load that a kill lands in the middle of it.
    /// </summary>
    internal static string LargeExtract(string folder, string realFile)
    {
        var lines = File.ReadLines(realFile).Skip(1).Select(ExtractFile.Split).ToList();
        var boroughs = lines.Select(c => c[2]).Where(b => b != "London Heathrow and London City Airports").Distinct().ToList();
        var categories = lines.Select(c => (Major: c[0], Minor: c[1])).Distinct().Take(10).ToList();
        var months = Enumerable.Range(0, 60).Select(i => (2010 + i / 12) * 100 + i % 12 + 1).ToList();
        var path = Path.Combine(folder, "large-lsoa-extract.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("LSOA Code,Borough,Major Category,Minor Category,");
        writer.Write(string.Join(",", months));
        writer.Write("\r\n");
        var code = 1_000_000;
        foreach (var borough in boroughs)
        {
            for (var lsoa = 0; lsoa < 60; lsoa++, code++)
            {
                foreach (var (major, minor) in categories)
                {
                    writer.Write($"E0{code},\"{borough}\",\"{major}\",\"{minor}\"");
                    for (var m = 0; m < months.Count; m++) writer.Write($",{1 + (code + m) % 7}");
                    writer.Write("\r\n");
                }
            }
        }
        return path;
    }

    internal static Process Start(PortalFactory factory, string file)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = factory.WorkDirectory,
        };
        info.ArgumentList.Add(WebDll());
        info.ArgumentList.Add("import");
        info.ArgumentList.Add(file);
        foreach (var (key, value) in factory.Settings) info.Environment[key.Replace(":", "__")] = value;
        return Process.Start(info)!;
    }

    /// <summary>src/KcCsp.Web's own build output, next to this test's (same configuration).</summary>
    internal static string WebDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name; // bin/<Configuration>/net10.0
        for (var d = here; d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "src", "KcCsp.Web", "bin", configuration, "net10.0", "KcCsp.Web.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("KcCsp.Web.dll not found beside the test's build output.");
    }

    /// <summary>A connection to the factory's own database, whichever the provider.</summary>
    internal static DbConnection Connect(PortalFactory factory) => factory.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(factory.ConnectionString) : new NpgsqlConnection(factory.ConnectionString);

    /// <summary>Every table an import writes, counted and summed (identifiers quoted: the same SQL on SQLite and PostgreSQL).</summary>
    internal static async Task<Dictionary<string, long>> SnapshotAsync(PortalFactory factory)
    {
        await using var connection = Connect(factory);
        await connection.OpenAsync();
        var result = new Dictionary<string, long>();
        foreach (var query in new[]
        {
            "SELECT COUNT(*) FROM \"CrimeImports\"", "SELECT COUNT(*) FROM \"CrimeCounts\"", "SELECT COALESCE(SUM(\"Count\"), 0) FROM \"CrimeCounts\"",
            "SELECT COUNT(*) FROM \"ImportCoverages\"", "SELECT COUNT(*) FROM \"MeasureMonthValues\"", "SELECT COALESCE(SUM(\"Value\"), 0) FROM \"MeasureMonthValues\"",
            "SELECT COUNT(*) FROM \"CategoryAliases\"", "SELECT COUNT(*) FROM \"Areas\"", "SELECT COUNT(*) FROM \"ImportAliases\"",
            "SELECT COUNT(*) FROM \"AuditEntries\"", "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"CrimeImports\"",
        })
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = query;
            result[query] = Convert.ToInt64(await cmd.ExecuteScalarAsync());
        }
        return result;
    }
}
