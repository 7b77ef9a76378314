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
            // The one period parser, with the one clock: a month of a year that has not started is refused too.
            using var host = buildHost();
            var clock = host.Services.GetRequiredService<TimeProvider>();
            YearMonth first, last;
            YearMonth? baseline = null;
            try
            {
                first = ReportingPeriods.ParseMonth("--from", parse.GetValue(from) ?? "", clock);
                last = ReportingPeriods.ParseMonth("--to", parse.GetValue(to) ?? "", clock);
                if (parse.GetValue(baselineTo) is { } b) baseline = ReportingPeriods.ParseMonth("--baseline-to", b, clock);
            }
            catch (BadPeriodException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            if (!await CliPlan.ScopeAsync(scope.ServiceProvider, parse, stderr, ct)) return 2;
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
}
