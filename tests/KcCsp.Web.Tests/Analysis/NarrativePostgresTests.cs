using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KcCsp.Data;
using KcCsp.Web.Tests.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Analysis;

/// <summary>
/// The draft on PostgreSQL, over months two releases both cover: the counts per MPS category come from the newer release
/// (the authoritative import for those months), not from both; and publishing saves and audits there too.
/// </summary>
public sealed class NarrativePostgresTests
{
    [Fact]
    public async Task Drugs_categories_come_from_the_authoritative_release_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var historicPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv");
        var newerPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        var newer = ExtractFile.ReadWide(newerPath);
        await ImportTests.ImportAsync(factory, historicPath);
        await ImportTests.ImportAsync(factory, newerPath);

        const string Borough = "Kensington and Chelsea";
        var drugs = newer.Sum(Borough, (major, _) => major == "Drug Offences", 201004, 201103);
        var possession = newer.Sum(Borough, (major, minor) => major == "Drug Offences" && minor == "Possession of Drugs", 201004, 201103);
        var total = newer.Sum(Borough, (_, _) => true, 201004, 201103);
        var (exit, stdout, stderr) = await factory.RunCliAsync("narrative", "drugs-and-reoffending", "--area", Borough, "--year", "2010/11", "--to-month", "3", "--json");
        exit.Should().Be(0, stderr);
        var json = JsonNode.Parse(stdout)!;
        var facts = json["facts"]!.AsArray().Select(f => f!.AsObject()).Where(f => f["from"]!.GetValue<string>() == "2010-04" && f["to"]!.GetValue<string>() == "2011-03").ToList();
        facts.Single(f => f["kind"]!.GetValue<string>() == "count" && f["measure"]!.GetValue<string>() == "drugs-offences" && f["category"] is null)["value"]!.GetValue<decimal>().Should().Be(drugs);
        facts.Single(f => f["kind"]!.GetValue<string>() == "count" && f["category"]?.GetValue<string>() == "possession-of-drugs")["value"]!.GetValue<decimal>().Should().Be(possession);
        var share = Math.Round(possession * 100m / drugs, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        json["text"]!.GetValue<string>().Should().Contain($"{share} were possession of drugs ({possession.ToString("#,##0", CultureInfo.InvariantCulture)})")
            .And.Contain($"Drugs offences accounted for {Math.Round(drugs * 100m / total, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture)}%");

        var analyst = await factory.SignedInClientAsync("Analyst");
        const string page = "/priorities/drugs-and-reoffending/analysis?from=2010-04&to=2011-03";
        var response = await Forms.PostAsync(analyst, page, "/priorities/drugs-and-reoffending/analysis",
            new() { ["from"] = "2010-04", ["to"] = "2011-03", ["text"] = "Possession was most of it." });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.AnalysisPublications.SingleAsync()).Text.Should().Be("Possession was most of it.");
        (await db.AuditEntries.CountAsync(a => a.Entity == "Analysis" && a.Action == "published")).Should().Be(1);
    }
}
