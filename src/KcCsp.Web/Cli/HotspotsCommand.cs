using System.CommandLine;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Reporting;
using KcCsp.Data.SmallAreas;
using KcCsp.Web.Features.SmallAreas;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>`hotspots &lt;measure&gt; --area "&lt;borough&gt;" --year YYYY/YY --to-month M [--level ward|lsoa] [--json]`.</summary>
internal static class HotspotsCommand
{
    public static Command Build(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var code = new Argument<string>("measure") { Description = "The measure's code, e.g. total-notifiable-offences." };
        var area = new Option<string>("--area") { Description = "Borough name or ONS code, e.g. \"Kensington and Chelsea\".", Required = true };
        var year = new Option<string>("--year") { Description = "Financial year, e.g. 2024/25.", Required = true };
        var toMonth = new Option<int?>("--to-month") { Description = "Last calendar month included (1-12).", Required = true };
        var level = new Option<string>("--level") { Description = "ward (default) or lsoa." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("hotspots", "A crime measure's wards (or LSOAs) in a borough, largest first: this year to date against the same months a year earlier, % change, significance and share.")
            { code, area, year, toMonth, level, json };
        command.SetAction(async (parse, ct) =>
        {
            using var host = buildHost();
            ReportingPeriod period;
            Data.Model.SmallAreaKind kind;
            try
            {
                var fy = ReportingPeriods.ParseYear("--year", parse.GetValue(year)!, host.Services.GetRequiredService<TimeProvider>());
                period = new ReportingPeriod(fy, ReportingPeriods.CheckMonth("--to-month", parse.GetValue(toMonth)!.Value));
                kind = HotspotsJson.ParseLevel("--level", parse.GetValue(level));
            }
            catch (BadParameterException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            if (!await CliPlan.ScopeAsync(scope.ServiceProvider, parse, stderr, ct)) return 2;
            HotspotsJson result;
            try
            {
                result = HotspotsJson.Of(await scope.ServiceProvider.GetRequiredService<Hotspots>().ForAsync(parse.GetValue(code)!, parse.GetValue(area)!, period, kind, ct));
            }
            catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException or BadParameterException)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result, CliApp.Json));
                return 0;
            }
            await stdout.WriteLineAsync($"{result.MeasureName}, {result.Area}, by {result.Level}: {result.Period.From}..{result.Period.To} against {result.PreviousPeriod.From}..{result.PreviousPeriod.To}");
            foreach (var r in result.SmallAreas)
                await stdout.WriteLineAsync($"  {r.Code} {r.Name,-28} {r.Value,7} {r.Previous?.ToString() ?? "-",7}  {r.ChangeText,-16} {(r.Significance?.Significant == true ? "significant" : ""),-11} {r.SharePercent,5:0.0}%");
            await stdout.WriteLineAsync($"  total {result.Total:N0}{(result.PreviousTotal is { } p ? $" against {p:N0}" : "")}; from import{(result.Imports.Count == 1 ? "" : "s")} #{string.Join(", #", result.Imports)}");
            if (result.MissingMonths.Count > 0) await stdout.WriteLineAsync($"  no {result.Level}-level file covers {string.Join(", ", result.MissingMonths)}");
            return 0;
        });
        return command;
    }
}
