using System.Diagnostics;
using KcCsp.Data.Importing;
using Microsoft.Data.Sqlite;

namespace KcCsp.Web.Tests.Importing;

/// <summary>A kill in the middle of loading leaves the database as it was; running the import again then succeeds.</summary>
public sealed class ImportKillTests
{
    [Fact]
    public async Task Killing_the_import_mid_load_leaves_the_database_unchanged()
    {
        var data = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        await using var factory = new PortalFactory();
        var first = await ImportTests.ImportAsync(factory, TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv"));
        var before = await SnapshotAsync(factory.ConnectionString);

        // The real executable, as an analyst runs it, paused by a test-only hook inside its loading transaction.
        using (var process = Start(factory, data, pauseAfterCounts: 20_000))
        {
            var paused = new TaskCompletionSource();
            process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("KCCSP-TEST: import paused inside its transaction") == true) paused.TrySetResult(); };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await paused.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        SqliteConnection.ClearAllPools();
        (await SnapshotAsync(factory.ConnectionString)).Should().BeEquivalentTo(before, "the killed transaction never committed");

        using var rerun = Start(factory, data, pauseAfterCounts: null);
        var stdout = await rerun.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await rerun.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await rerun.WaitForExitAsync(TestContext.Current.CancellationToken);
        rerun.ExitCode.Should().Be(0, stderr);
        stdout.Should().Contain("Imported mps-borough-level-crime-2010-04-to-2022-02.csv as import #2");
        first.GetProperty("importId").GetInt32().Should().Be(1);
    }

    private static Process Start(PortalFactory factory, string file, int? pauseAfterCounts)
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
        info.Environment[CrimeImporter.PauseVariable] = pauseAfterCounts?.ToString() ?? "";
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

    internal static async Task<Dictionary<string, long>> SnapshotAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var result = new Dictionary<string, long>();
        foreach (var query in new[]
        {
            "SELECT COUNT(*) FROM CrimeImports", "SELECT COUNT(*) FROM CrimeCounts", "SELECT COALESCE(SUM(Count), 0) FROM CrimeCounts",
            "SELECT COUNT(*) FROM ImportCoverages", "SELECT COUNT(*) FROM MeasureMonthValues", "SELECT COALESCE(SUM(Value), 0) FROM MeasureMonthValues",
            "SELECT COUNT(*) FROM CategoryAliases", "SELECT COUNT(*) FROM Areas", "SELECT COUNT(*) FROM ImportAliases",
            "SELECT COUNT(*) FROM AuditEntries", "SELECT COALESCE(MAX(Id), 0) FROM CrimeImports",
        })
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = query;
            result[query] = Convert.ToInt64(await cmd.ExecuteScalarAsync());
        }
        return result;
    }
}
