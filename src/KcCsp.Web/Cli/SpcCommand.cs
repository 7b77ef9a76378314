using System.CommandLine;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using KcCsp.Web.Features.Analytics;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>`spc &lt;measure&gt; --area "&lt;borough&gt;" --from YYYY-MM --to YYYY-MM [--baseline-to YYYY-MM] [--json]`.</summary>
internal static class SpcCommand
{
    public static Command Build(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var code = new Argument<string>("measure") { Description = "The measure's code, e.g. residential-burglary." };
        var area = new Option<string>("--area") { Description = "Borough name, e.g. \"Kensington and Chelsea\".", Required = true };
        var from = new Option<string>("--from") { Description = "First month of the chart, YYYY-MM.", Required = true };
        var to = new Option<string>("--to") { Description = "Last month of the chart, YYYY-MM.", Required = true };
        var baselineTo = new Option<string?>("--baseline-to") { Description = "Last month of the baseline the mean and limits come from (default: every month of the chart)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("spc", "An XmR (statistical process control) chart of a measure's monthly values: mean, limits and special-cause signals.")
            { code, area, from, to, baselineTo, json };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryMonth("--from", parse.GetValue(from), out var first, out var error)
                || !TryMonth("--to", parse.GetValue(to), out var last, out error))
            {
                await stderr.WriteLineAsync(error);
                return 2;
            }
            YearMonth? baseline = null;
            if (parse.GetValue(baselineTo) is { } b)
            {
                if (!TryMonth("--baseline-to", b, out var month, out error))
                {
                    await stderr.WriteLineAsync(error);
                    return 2;
                }
                baseline = month;
            }
            using var host = buildHost();
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            SpcChart chart;
            try
            {
                chart = await scope.ServiceProvider.GetRequiredService<SpcCharts>().ChartAsync(parse.GetValue(code)!, parse.GetValue(area)!, first, last, baseline, ct);
            }
            catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException or SpcPeriodException)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            var result = SpcJson.Of(chart);
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result, CliApp.Json));
                return 0;
            }
            await stdout.WriteLineAsync($"{result.MeasureName}, {result.Area}, {result.From} to {result.To} (limits from {result.BaselineFrom} to {result.BaselineTo})");
            await stdout.WriteLineAsync($"  mean {result.Mean:0.##}, upper limit {result.UpperLimit:0.##}, lower limit {result.LowerLimit:0.##}");
            await stdout.WriteLineAsync($"  latest month: {result.Variation}; assurance: {result.Assurance}");
            foreach (var p in result.Points)
                await stdout.WriteLineAsync($"  {p.Month} {p.Value,8}  {string.Join("; ", p.Signals)}");
            return 0;
        });
        return command;
    }

    private static bool TryMonth(string option, string? value, out YearMonth month, out string error)
    {
        error = "";
        if (YearMonth.TryParse(value, out month)) return true;
        error = $"{option}: '{value}' is not a month: expected YYYY-MM (e.g. 2009-04).";
        return false;
    }
}
