using System.Diagnostics;
using Npgsql;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// Two instances of the portal, as two real processes on one PostgreSQL database, importing at the same moment: the
/// import lock (an advisory lock held by each import's transaction) makes one wait for the other, so the second finds
/// the first's committed import and the file is imported once. Without the lock neither sees the other's uncommitted
/// rows and both import it.
/// </summary>
public sealed class ImportLockContentionTests
{
    private const long ImportLockKey = 730120100;

    [Fact]
    public async Task Two_processes_importing_the_same_file_at_once_import_it_once_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var file = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        (await factory.RunCliAsync("migrate")).ExitCode.Should().Be(0);

        // The starting gate: the test holds the import lock, so both processes reach it before either loads a row.
        await using var gate = new NpgsqlConnection(factory.ConnectionString);
        await gate.OpenAsync();
        await Sql(gate, $"SELECT pg_advisory_lock({ImportLockKey})");
        using var one = ImportKillTests.Start(factory, file);
        using var two = ImportKillTests.Start(factory, file);
        var outputs = new[] { one, two }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToArray();

        var waiting = 0L;
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < TimeSpan.FromSeconds(60) && !(one.HasExited && two.HasExited))
        {
            waiting = await Sql(gate, "SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database " +
                $"WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = {ImportLockKey} AND d.datname = current_database()");
            if (waiting == 2) break;
            await Task.Delay(20);
        }
        await Sql(gate, $"SELECT pg_advisory_unlock({ImportLockKey})");
        await one.WaitForExitAsync(TestContext.Current.CancellationToken);
        await two.WaitForExitAsync(TestContext.Current.CancellationToken);

        var said = new List<string>();
        foreach (var (o, e) in outputs) said.Add(await o + await e);
        one.ExitCode.Should().Be(0, said[0]);
        two.ExitCode.Should().Be(0, said[1]);
        said.Count(s => s.Contains("Imported mps-borough-level-crime-2010-04-to-2022-02.csv as import #1")).Should().Be(1, string.Join("\n---\n", said));
        said.Count(s => s.Contains("is identical (SHA-256) to import #1")).Should().Be(1, string.Join("\n---\n", said));
        (await Sql(gate, "SELECT COUNT(*) FROM \"CrimeImports\" WHERE \"Sha256\" <> ''")).Should().Be(1, "the file is imported once");
        waiting.Should().Be(2, "both processes waited for the import lock while it was held");
    }

    private static async Task<long> Sql(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync();
        return value is long or int ? Convert.ToInt64(value) : 0;
    }
}
