using System.Text.Json;

namespace KcCsp.Web.Tests;

public sealed class CliMeasureTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Theory]
    [InlineData("serious-acquisitive-crime", 3374, 3582, -5.8, "9th lowest", "met")]
    [InlineData("drugs-offences", 4779, 5298, -9.8, "6th highest", "no target")]
    [InlineData("begging-vagrancy", 405, 354, 14.4, "2nd highest", "no target")]
    [InlineData("domestic-violence", 652, 696, -6.3, "3rd lowest", "not met")]
    [InlineData("most-serious-violence", 137, 157, -12.7, "4th lowest", "met")]
    [InlineData("street-drinking", 395, 443, -10.8, "11th highest", "no target")]
    public async Task Measure_json_reports_the_plans_section_2_row(string code, int value, int previous, double change, string rank, string status)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("measure", code, "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("measure").GetString().Should().Be(code);
        root.GetProperty("area").GetString().Should().Be("Kensington and Chelsea");
        root.GetProperty("period").GetProperty("from").GetString().Should().Be("2009-04");
        root.GetProperty("period").GetProperty("to").GetString().Should().Be("2010-01");
        root.GetProperty("value").GetDecimal().Should().Be(value);
        root.GetProperty("previous").GetDecimal().Should().Be(previous);
        root.GetProperty("changePercent").GetDecimal().Should().Be((decimal)change);
        root.GetProperty("londonRank").GetString().Should().Be(rank);
        root.GetProperty("status").GetString().Should().Be(status);
        root.GetProperty("source").GetString().Should().Be("published");
    }

    [Fact]
    public async Task Terrorist_incident_has_no_percentage_for_a_zero_base()
    {
        var (exit, stdout, _) = await factory.RunCliAsync("measure", "terrorist-incident", "--area", "Kensington & Chelsea", "--year", "2009/10", "--to-month", "1", "--json");

        exit.Should().Be(0);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("value").GetDecimal().Should().Be(0);
        json.RootElement.GetProperty("changePercent").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("londonRank").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("status").GetString().Should().Be("no target");
    }

    [Fact]
    public async Task A_period_without_figures_reports_nulls_and_the_target()
    {
        var (exit, stdout, _) = await factory.RunCliAsync("measure", "robbery", "--area", "Kensington and Chelsea", "--year", "2010/11", "--to-month", "3", "--json");

        exit.Should().Be(0);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("period").GetProperty("to").GetString().Should().Be("2011-03");
        json.RootElement.GetProperty("target").GetProperty("asPrinted").GetString().Should().Be("-2%");
    }

    [Theory]
    [InlineData(new[] { "measure", "no-such-measure", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1" }, "no measure with the code 'no-such-measure'")]
    [InlineData(new[] { "measure", "robbery", "--area", "Atlantis", "--year", "2009/10", "--to-month", "1" }, "no area called 'Atlantis'")]
    [InlineData(new[] { "measure", "robbery", "--area", "Kensington and Chelsea", "--year", "2009/11", "--to-month", "1" }, "--year")]
    [InlineData(new[] { "measure", "robbery", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "13" }, "--to-month")]
    public async Task Bad_arguments_exit_2_with_a_message(string[] args, string message)
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync(args);

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain(message);
    }

    [Fact]
    public async Task Migrate_then_text_output()
    {
        (await factory.RunCliAsync("migrate")).ExitCode.Should().Be(0);
        var (exit, stdout, _) = await factory.RunCliAsync("measure", "serious-acquisitive-crime", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1");
        exit.Should().Be(0);
        stdout.Should().Contain("Serious acquisitive crime, Kensington and Chelsea").And.Contain("change -5.8%").And.Contain("9th lowest").And.Contain("✓ met");
    }
}
