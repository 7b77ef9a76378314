using System.CommandLine;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Reporting;
using KcCsp.Web.Features.Api;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>Command-line verbs of the portal's executable: `dotnet run --project src/KcCsp.Web -- &lt;verb&gt;`.</summary>
public static class CliApp
{
    private static readonly string[] Verbs = ["migrate", "measure", "create-user", "import", "import-population"];

    /// <summary>Shared with the JSON API (`/api`), so both print the same fields the same way.</summary>
    public static JsonSerializerOptions Json => Features.PortalJson.Options;

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, Action<IHostApplicationBuilder>? configure = null, TextReader? stdin = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = new RootCommand("KcCsp: the Community Safety Partnership's performance portal.");

        var migrate = new Command("migrate", "Create or migrate the database and load the plan, then exit.");
        migrate.SetAction(async (_, ct) =>
        {
            using var host = BuildHost(configure);
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            await stdout.WriteLineAsync("Database migrated and plan seeded.");
            return 0;
        });
        root.Subcommands.Add(migrate);

        var code = new Argument<string>("code") { Description = "The measure's code, e.g. serious-acquisitive-crime." };
        var area = new Option<string>("--area") { Description = "Borough name, e.g. \"Kensington and Chelsea\".", Required = true };
        var year = new Option<string>("--year") { Description = "Financial year, e.g. 2009/10.", Required = true };
        var toMonth = new Option<int>("--to-month") { Description = "Last calendar month included (1-12).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var measure = new Command("measure", "A measure's financial year to date against the same months a year earlier.") { code, area, year, toMonth, json };
        measure.SetAction(async (parse, ct) =>
        {
            ReportingPeriod period;
            try
            {
                period = new ReportingPeriod(ReportingPeriods.ParseYear("--year", parse.GetValue(year)), ReportingPeriods.CheckMonth("--to-month", parse.GetValue(toMonth)));
            }
            catch (BadPeriodException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            using var host = BuildHost(configure);
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
            MeasureComparison result;
            try
            {
                result = MeasureComparison.From(await reports.CompareAsync(parse.GetValue(code)!, parse.GetValue(area)!, period, ct));
            }
            catch (Exception e) when (e is UnknownMeasureException or UnknownAreaException)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            }
            else
            {
                await stdout.WriteLineAsync($"{result.MeasureName}, {result.Area}");
                await stdout.WriteLineAsync($"  {result.Period.From}..{result.Period.To}: {result.Value?.ToString() ?? "no figure"} ({result.Source ?? "-"})");
                await stdout.WriteLineAsync($"  {result.PreviousPeriod.From}..{result.PreviousPeriod.To}: {result.Previous?.ToString() ?? "no figure"}");
                await stdout.WriteLineAsync($"  change {result.ChangeText}; London rank {result.LondonRank ?? "-"}; target: {result.StatusIcon} {result.Status} ({result.StatusExplanation})");
            }
            return 0;
        });
        root.Subcommands.Add(measure);
        root.Subcommands.Add(CreateUserCommand.Build(() => BuildHost(configure), stdout, stderr, stdin ?? Console.In));
        root.Subcommands.Add(ImportCommands.Import(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(ImportCommands.ImportPopulation(() => BuildHost(configure), stdout, stderr));

        var parseResult = root.Parse(args);
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static IHost BuildHost(Action<IHostApplicationBuilder>? configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = PortalSetup.ContentRoot(),
            EnvironmentName = PortalSetup.EnvironmentName(),
        });
        configure?.Invoke(builder);
        builder.AddLogging();
        builder.Services.AddKcCspData(builder.Configuration);
        return builder.Build();
    }
}
