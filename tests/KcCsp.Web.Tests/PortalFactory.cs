using KcCsp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KcCsp.Web.Tests;

/// <summary>The whole portal in memory, on a database of its own: a fresh SQLite file, or a fresh PostgreSQL database.</summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly string? postgresServer;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kccsp-tests", Guid.NewGuid().ToString("N"));

    public PortalFactory(string? postgresServer = null, string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null)
    {
        this.postgresServer = postgresServer;
        this.environment = environment;
        extraSettings = settings ?? new Dictionary<string, string?>();
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

    /// <summary>Another instance of the portal on the same database (which the first factory drops at the end).</summary>
    private PortalFactory(PortalFactory sameDatabaseAs, string environment, IReadOnlyDictionary<string, string?> settings)
    {
        this.environment = environment;
        extraSettings = settings;
        Directory.CreateDirectory(directory);
        Provider = sameDatabaseAs.Provider;
        ConnectionString = sameDatabaseAs.ConnectionString;
    }

    /// <summary>A second portal instance sharing this one's database: several instances as deployed.</summary>
    public PortalFactory AnotherInstance(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(this, environment, settings ?? extraSettings);

    private readonly IReadOnlyDictionary<string, string?> extraSettings;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string environment;

    /// <summary>A temporary folder of this factory's own (database file, logs, inbox).</summary>
    public string WorkDirectory => directory;

    /// <summary>Settings every host of this test shares (the CLI verbs get them too).</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>(extraSettings)
    {
        ["Database:Provider"] = Provider.ToString(),
        [$"ConnectionStrings:{Provider}"] = ConnectionString,
        ["Serilog:WriteTo:1:Args:path"] = Path.Combine(directory, "logs", "kccsp-.log"),
        // No console sink under test: logs go to files in the work folder. Console writes from background threads
        // (Hangfire, the seed) deadlock against Playwright setting Console.OutputEncoding in the same process.
        ["Serilog:WriteTo:0:Name"] = "File",
        ["Serilog:WriteTo:0:Args:path"] = Path.Combine(directory, "logs", "console-.log"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Runs a CLI verb against this factory's database and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Out, string Err)> RunCliAsync(params string[] args) => RunCliWithInputAsync("", args);

    /// <summary>Runs a CLI verb with the given standard input (e.g. for --password-stdin).</summary>
    public async Task<(int ExitCode, string Out, string Err)> RunCliWithInputAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.CliApp.RunAsync(args, stdout, stderr, b =>
        {
            foreach (var (key, value) in Settings) b.Configuration[key] = value;
        }, new StringReader(stdin));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The Development seed's demo user for a role (password <see cref="DemoPassword"/>).</summary>
    public static string DemoEmail(string role) => role.ToLowerInvariant() + "@kccsp.local";

    public const string DemoPassword = "Demo-pass-2010!";

    /// <summary>A client that does not follow redirects, so tests see the portal's own answers.</summary>
    public HttpClient CreateRawClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client signed in as the demo user of a role, through the sign-in form (anti-forgery token included).</summary>
    public Task<HttpClient> SignedInClientAsync(string role, bool followRedirects = true) =>
        SignedInAsAsync(DemoEmail(role), DemoPassword, followRedirects);

    public async Task<HttpClient> SignedInAsAsync(string email, string password, bool followRedirects = true)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects });
        var response = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = email, ["Password"] = password });
        var landed = followRedirects ? response.RequestMessage!.RequestUri!.AbsolutePath : response.Headers.Location?.OriginalString;
        if (landed is null || landed.StartsWith("/sign-in", StringComparison.Ordinal))
            throw new InvalidOperationException($"Could not sign in as {email}: {(int)response.StatusCode} {landed}");
        return client;
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

/// <summary>Posting forms the way a browser does: with the anti-forgery token from the page that shows the form.</summary>
public static class Forms
{
    public static string Token(string html)
    {
        var input = Regex.Match(html, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*>");
        var value = Regex.Match(input.Value, "value=\"([^\"]+)\"");
        if (!value.Success) throw new InvalidOperationException("The page has no anti-forgery token: " + html[..Math.Min(html.Length, 2000)]);
        return System.Net.WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    public static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var response = await client.GetAsync(page);
        return Token(await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="page"/> for its token, then POSTs the fields to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var token = await TokenAsync(client, page);
        var all = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        return await client.PostAsync(action, new FormUrlEncodedContent(all));
    }
}
