using System.CommandLine;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Analysis;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using KcCsp.Web.Features.Analysis;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>
/// `narrative &lt;priority&gt; --area "&lt;borough&gt;" (--year YYYY/YY --to-month M | --from YYYY-MM --to YYYY-MM) [--json]`:
/// the drafted "what our data tells us" and the facts behind its numbers.
/// </summary>
internal static class NarrativeCommand
{
    public static Command Build(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var code = new Argument<string>("priority") { Description = "The priority's code, e.g. serious-acquisitive-crime or drugs-and-reoffending." };
        var area = new Option<string>("--area") { Description = "Borough name, e.g. \"Kensington and Chelsea\".", Required = true };
        var year = new Option<string>("--year") { Description = "Financial year, e.g. 2009/10 (with --to-month)." };
        var toMonth = new Option<int?>("--to-month") { Description = "Last calendar month included (1-12), with --year." };
        var from = new Option<string>("--from") { Description = "First month of the window, YYYY-MM (with --to)." };
        var to = new Option<string>("--to") { Description = "Last month of the window, YYYY-MM (with --from)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: text and facts." };
        var command = new Command("narrative", "A priority's drafted \"what our data tells us\" for a financial year to a month, or any months, with the facts behind every number.")
            { code, area, year, toMonth, from, to, json };
        command.SetAction(async (parse, ct) =>
        {
            using var host = buildHost();
            var clock = host.Services.GetRequiredService<TimeProvider>();
            Period window;
            try
            {
                window = AnalysisWindows.Parse(parse.GetValue(year), parse.GetValue(toMonth), parse.GetValue(from), parse.GetValue(to), clock,
                    ("--year", "--to-month", "--from", "--to"));
            }
            catch (BadParameterException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            if (!await CliPlan.ScopeAsync(scope.ServiceProvider, parse, stderr, ct)) return 2;
            AnalysisJson result;
            try
            {
                var draft = await scope.ServiceProvider.GetRequiredService<AnalysisService>().DraftAsync(parse.GetValue(code)!, parse.GetValue(area)!, window, ct);
                var published = await scope.ServiceProvider.GetRequiredService<AnalysisPublishing>().LatestAsync(draft.Area, ct, draft.Priority);
                result = AnalysisJson.Of(draft, published.GetValueOrDefault(draft.Priority));
            }
            catch (BadParameterException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result, CliApp.Json));
                return 0;
            }
            await stdout.WriteLineAsync($"{result.PriorityTitle}, {result.Area}, {result.Window}");
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync(result.Text);
            await stdout.WriteLineAsync();
            foreach (var f in result.Facts)
                await stdout.WriteLineAsync($"  {f.Id} {f.Shown}: {f.Label} ({f.Area}, {f.From}..{f.To}); {f.Source}");
            return 0;
        });
        return command;
    }
}
