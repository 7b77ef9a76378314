using System.Text.Json;

namespace KcCsp.Web.Tests;

/// <summary>The same portal against a real PostgreSQL server, migrated by its own migrations.</summary>
public sealed class PostgresTests
{
    [Fact]
    public async Task Migrates_seeds_and_serves_the_plan_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var client = await factory.SignedInClientAsync("Board");

        var home = await client.GetStringAsync("/");
        home.Should().Contain("data-priority=\"domestic-violence\"");

        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", "serious-acquisitive-crime", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("value").GetDecimal().Should().Be(3374);
        json.RootElement.GetProperty("changePercent").GetDecimal().Should().Be(-5.8m);
        json.RootElement.GetProperty("londonRank").GetString().Should().Be("9th lowest");

        // Seeding again (a second start) adds nothing.
        (await factory.RunCliAsync("migrate")).ExitCode.Should().Be(0);
        var again = await client.GetStringAsync("/priorities/serious-acquisitive-crime");
        System.Text.RegularExpressions.Regex.Matches(again, "data-measure=\"serious-acquisitive-crime\"").Count.Should().Be(1);
    }
}
