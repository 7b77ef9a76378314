using KcCsp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KcCsp.Web.Tests;

/// <summary>The whole portal in memory, on a database of its own: a fresh SQLite file, or a fresh PostgreSQL database.</summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly string? postgresServer;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kccsp-tests", Guid.NewGuid().ToString("N"));

    public PortalFactory(string? postgresServer = null, string environment = "Development")
    {
        this.postgresServer = postgresServer;
        this.environment = environment;
        Directory.CreateDirectory(directory);
        if (postgresServer is null)
        {
            Provider = DatabaseProvider.Sqlite;
            ConnectionString = $"Data Source={Path.Combine(directory, "kccsp.db")}";
        }
        else
        {
            Provider = DatabaseProvider.PostgreSQL;
            var database = "kccsp_test_" + Guid.NewGuid().ToString("N")[..12];
            ConnectionString = new NpgsqlConnectionStringBuilder(postgresServer) { Database = database }.ConnectionString;
        }
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string environment;

    /// <summary>A temporary folder of this factory's own (database file, logs, inbox).</summary>
    public string WorkDirectory => directory;

    /// <summary>Settings every host of this test shares (the CLI verbs get them too).</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        [$"ConnectionStrings:{Provider}"] = ConnectionString,
        ["Serilog:WriteTo:1:Args:path"] = Path.Combine(directory, "logs", "kccsp-.log"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Runs a CLI verb against this factory's database and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Out, string Err)> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.CliApp.RunAsync(args, stdout, stderr, b =>
        {
            foreach (var (key, value) in Settings) b.Configuration[key] = value;
        });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (postgresServer is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(postgresServer);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
