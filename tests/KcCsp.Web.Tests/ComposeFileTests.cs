using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Web.Features;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace KcCsp.Web.Tests;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is read and checked for what the deployment relies on: a proxy
/// ending TLS in front of two portal replicas in Production, one shared inbox, SQL Server (PostgreSQL as a profile),
/// health checks on the portal's own endpoint, and settings the portal actually reads.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KcCsp.sln"))) return dir.FullName;
        throw new InvalidOperationException("No KcCsp.sln above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, object?> Compose()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml")));
        // MergingParser: the replicas share one definition through a YAML anchor and merge key, as Compose reads it.
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(new MergingParser(new Parser(reader)));
        return yaml;
    }

    private static Dictionary<object, object?> Map(object? node) => node.Should().BeAssignableTo<Dictionary<object, object?>>().Subject;

    private static List<object?> List(object? node) => node.Should().BeAssignableTo<List<object?>>().Subject;

    private static Dictionary<object, object?> Service(string name) => Map(Map(Compose()["services"])[name]);

    [Fact]
    public void A_tls_ending_proxy_fronts_two_production_replicas()
    {
        var services = Map(Compose()["services"]);
        services.Keys.Should().BeEquivalentTo(["proxy", "portal1", "portal2", "sqlserver", "postgres"]);

        var proxy = Service("proxy");
        proxy["image"].Should().Be("caddy:2");
        List(proxy["ports"]).Should().BeEquivalentTo(["443:443", "80:80"]);
        var caddyMount = List(proxy["volumes"]).Cast<string>().Single(v => v.EndsWith(":/etc/caddy/Caddyfile:ro", StringComparison.Ordinal));
        var caddyfile = File.ReadAllText(Path.Combine(Root, caddyMount.Split(':')[0]));
        caddyfile.Should().Contain("tls {$KCCSP_TLS:internal}", "self-signed unless told otherwise");
        caddyfile.Should().Contain("reverse_proxy portal1:8080 portal2:8080").And.Contain("health_uri /health/ready");
        Map(proxy["depends_on"]).Keys.Should().BeEquivalentTo(["portal1", "portal2"]);

        foreach (var name in new[] { "portal1", "portal2" })
        {
            var portal = Service(name);
            portal["build"].Should().Be(".");
            portal.Should().NotContainKey("ports", "the replicas are reached through the proxy only");
            var env = Map(portal["environment"]);
            env["ASPNETCORE_ENVIRONMENT"].Should().Be("Production");
            env["ASPNETCORE_HTTP_PORTS"].Should().Be("8080");
            env["Database__Provider"].Should().Be("${KCCSP_DATABASE:-SqlServer}");
            ((string)env["ConnectionStrings__SqlServer"]!).Should().StartWith("Server=sqlserver;");
            ((string)env["ConnectionStrings__PostgreSQL"]!).Should().StartWith("Host=postgres;");
            // The proxy's headers are believed from the compose network, whose subnet is fixed.
            var subnet = Map(List(Map(Map(Map(Map(Compose()["networks"])["portal"])["ipam"]))["config"])[0])["subnet"];
            env["ForwardedHeaders__KnownNetworks__0"].Should().Be(subnet);
            System.Net.IPNetwork.TryParse((string)subnet!, out _).Should().BeTrue();
            // One inbox volume for both: the claim-once rule is what makes that safe.
            List(portal["volumes"]).Should().Contain($"inbox:{env["Import__Inbox"]}");
            var health = string.Join(" ", List(Map(portal["healthcheck"])["test"]));
            health.Should().Contain("/dev/tcp/127.0.0.1/8080").And.Contain("GET /health/ready");
            var dependsOn = Map(portal["depends_on"]);
            foreach (var db in new[] { "sqlserver", "postgres" })
            {
                Map(dependsOn[db])["condition"].Should().Be("service_healthy");
                Map(dependsOn[db])["required"].Should().Be("false", "only the chosen database runs");
            }
        }
    }

    [Fact]
    public void Sql_server_by_default_and_postgresql_as_a_profile_with_health_checks()
    {
        var sqlserver = Service("sqlserver");
        sqlserver.Should().NotContainKey("profiles");
        ((string)sqlserver["image"]!).Should().StartWith("mcr.microsoft.com/mssql/server:");
        Map(sqlserver["environment"])["MSSQL_SA_PASSWORD"].Should().Be("${KCCSP_DB_PASSWORD:?set KCCSP_DB_PASSWORD}");
        string.Join(" ", List(Map(sqlserver["healthcheck"])["test"])).Should().Contain("sqlcmd");

        var postgres = Service("postgres");
        List(postgres["profiles"]).Should().Equal("postgres");
        var env = Map(postgres["environment"]);
        var portalEnv = Map(Service("portal1")["environment"]);
        ((string)portalEnv["ConnectionStrings__PostgreSQL"]!).Should().Contain($"Database={env["POSTGRES_DB"]};Username={env["POSTGRES_USER"]};");
        string.Join(" ", List(Map(postgres["healthcheck"])["test"])).Should().Contain("pg_isready");
    }

    [Fact]
    public void Every_setting_the_compose_file_gives_the_portal_is_one_it_reads()
    {
        using var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "KcCsp.Web", "appsettings.json")));
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonElement e, string prefix)
        {
            if (e.ValueKind != JsonValueKind.Object) { known.Add(prefix); return; }
            foreach (var p in e.EnumerateObject()) Walk(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}");
        }
        Walk(appsettings.RootElement, "");
        foreach (var property in typeof(ProxyOptions).GetProperties()) known.Add($"ForwardedHeaders:{property.Name}");

        foreach (var (key, _) in Map(Service("portal1")["environment"]))
        {
            var name = (string)key;
            if (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)) continue;
            var setting = Regex.Replace(name.Replace("__", ":"), ":\\d+$", "");
            known.Should().Contain(setting, $"{name} must be a setting the portal reads");
        }
    }

    [Fact]
    public void The_image_is_published_as_the_benchmark_publishes_it()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var bench = File.ReadAllText(Path.Combine(Root, "bench", "import.sh"));
        var publish = Regex.Match(dockerfile, "RUN dotnet publish (.*)").Groups[1].Value;
        // Release, for one runtime (so ReadyToRun: KcCsp.Web.csproj turns it on when a runtime is given), framework-dependent.
        foreach (var option in new[] { "-c Release", "--self-contained false" })
        {
            publish.Should().Contain(option);
            bench.Should().Contain(option);
        }
        publish.Should().MatchRegex("--os linux -a ");
        bench.Should().MatchRegex("-r \"\\$rid\"");
        File.ReadAllText(Path.Combine(Root, "src", "KcCsp.Web", "KcCsp.Web.csproj"))
            .Should().Contain("<PublishReadyToRun Condition=\"'$(RuntimeIdentifier)' != ''\">true</PublishReadyToRun>");
        dockerfile.Should().Contain("ENV ASPNETCORE_HTTP_PORTS=8080").And.Contain("USER $APP_UID");
        dockerfile.Should().NotContain("ASPNETCORE_ENVIRONMENT", "a published build is Production by itself");
    }
}
