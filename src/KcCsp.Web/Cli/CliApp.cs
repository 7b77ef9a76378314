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
    private static readonly string[] Verbs = ["migrate", "measure", "spc", "narrative", "create-user", "import", "import-population", "import-ward-population", "import-lsoa-lookup", "hotspots", "import-plan", "export-plan"];

    /// <summary>Shared with the JSON API (`/api`), so both print the same fields the same way.</summary>
    public static JsonSerializerOptions Json => Features.PortalJson.Options;

    /// <summary>
    /// Whether the arguments are for the command line rather than the web server: a first argument that is a word (not
    /// an option such as --urls, nor a setting such as urls=...) names a verb, known or not — a misspelt verb must
    /// not start the portal.
    /// </summary>
    public static bool IsCommandLine(string[] args) =>
        args.Length > 0 && (Verbs.Contains(args[0]) || (!args[0].StartsWith('-') && !args[0].Contains('=')));

    /// <summary>The verb a mistyped one was probably meant to be.</summary>
    private static string? Closest(string typed) =>
        Verbs.Select(v => (Verb: v, Distance: Distance(typed.ToLowerInvariant(), v))).Where(x => x.Distance <= Math.Max(2, x.Verb.Length / 3))
            .OrderBy(x => x.Distance).Select(x => x.Verb).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, Action<IHostApplicationBuilder>? configure = null, TextReader? stdin = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        if (args.Length > 0 && !Verbs.Contains(args[0]) && !args[0].StartsWith('-'))
        {
            var guess = Closest(args[0]);
            await stderr.WriteLineAsync($"'{args[0]}' is not a command.{(guess is null ? "" : $" Did you mean '{guess}'?")}");
            await stderr.WriteLineAsync($"The commands are: {string.Join(", ", Verbs)} (each with --help). With no command, the portal starts.");
            return 2;
        }
        var root = new RootCommand("KcCsp: the Community Safety Partnership's performance portal.") { CliPlan.Option };

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
        var year = new Option<string>("--year") { Description = "Financial year, e.g. 2009/10 (with --to-month)." };
        var toMonth = new Option<int?>("--to-month") { Description = "Last calendar month included (1-12), with --year." };
        var rolling = new Option<bool>("--rolling-12") { Description = "The twelve months to --to against the twelve before, instead of a year to date." };
        var to = new Option<string>("--to") { Description = "Last month of the rolling twelve months, YYYY-MM (with --rolling-12)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var measure = new Command("measure", "A measure's financial year to date (--year, --to-month) or rolling twelve months (--rolling-12 --to) against the same months a year earlier.")
            { code, area, year, toMonth, rolling, to, json };
        measure.SetAction(async (parse, ct) =>
        {
            ReportingPeriod? period = null;
            Domain.YearMonth? rollingTo = null;
            using var host = BuildHost(configure);
            try
            {
                if (parse.GetValue(rolling))
                {
                    if (parse.GetValue(year) is not null || parse.GetValue(toMonth) is not null)
                        throw new BadPeriodException("--rolling-12", "--rolling-12 takes --to YYYY-MM, not --year or --to-month.");
                    rollingTo = ReportingPeriods.ParseMonth("--to", parse.GetValue(to) ?? throw new BadPeriodException("--to", "--rolling-12 needs --to YYYY-MM, the last month of the twelve."),
                        host.Services.GetRequiredService<TimeProvider>());
                }
                else
                {
                    if (parse.GetValue(to) is not null) throw new BadPeriodException("--to", "--to goes with --rolling-12; a year to date takes --year and --to-month.");
                    var fy = ReportingPeriods.ParseYear("--year", parse.GetValue(year) ?? throw new BadPeriodException("--year", "--year is required (e.g. 2009/10), with --to-month; or use --rolling-12 --to YYYY-MM."),
                        host.Services.GetRequiredService<TimeProvider>());
                    period = new ReportingPeriod(fy, ReportingPeriods.CheckMonth("--to-month", parse.GetValue(toMonth) ?? throw new BadPeriodException("--to-month", "--to-month is required (1-12), with --year.")));
                }
            }
            catch (BadParameterException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
            // A read: a ready database is enough, as for `spc` and `import` (the full checks run in `migrate` and at the portal's start).
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            if (!await CliPlan.ScopeAsync(scope.ServiceProvider, parse, stderr, ct)) return 2;
            var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
            MeasureComparison result;
            try
            {
                var row = rollingTo is { } end
                    ? await reports.RollingTwelveAsync(parse.GetValue(code)!, parse.GetValue(area)!, end, ct)
                    : await reports.CompareAsync(parse.GetValue(code)!, parse.GetValue(area)!, period!, ct);
                result = MeasureComparison.From(row);
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
                await stdout.WriteLineAsync($"  change {result.ChangeText}; {Data.Reporting.ReportArea.HeadingFor(result.RankedAmong)} {result.LondonRank ?? "-"}; target: {result.StatusIcon} {result.Status} ({result.StatusExplanation})");
            }
            return 0;
        });
        root.Subcommands.Add(measure);
        root.Subcommands.Add(SpcCommand.Build(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(NarrativeCommand.Build(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(HotspotsCommand.Build(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(CreateUserCommand.Build(() => BuildHost(configure), stdout, stderr, stdin ?? Console.In));
        root.Subcommands.Add(ImportCommands.Import(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(ImportCommands.ImportPopulation(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(ImportCommands.ImportWardPopulation(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(ImportCommands.ImportLsoaLookup(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(PlanFileCommands.ImportPlan(() => BuildHost(configure), stdout, stderr));
        root.Subcommands.Add(PlanFileCommands.ExportPlan(() => BuildHost(configure), stdout, stderr));

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Bad input is exit code 2, like every other refusal of the command line.
            foreach (var error in parseResult.Errors) await stderr.WriteLineAsync(error.Message);
            await stderr.WriteLineAsync($"Usage: see `{string.Join(' ', args.Take(1))} --help`.");
            return 2;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>
    /// The folder the user typed the command in, against which relative paths are resolved. `dotnet run --project
    /// src/KcCsp.Web` starts the process in the project folder, not the user's: when the process runs in the project
    /// folder of a source checkout and the shell's PWD names another folder, that is the user's. Otherwise (a published
    /// build, or a command run in the project folder itself) it is the current directory.
    /// </summary>
    public static string CallerDirectory()
    {
        var current = Environment.CurrentDirectory;
        var shell = Environment.GetEnvironmentVariable("PWD");
        if (string.IsNullOrEmpty(shell) || !Path.IsPathFullyQualified(shell) || !Directory.Exists(shell)) return current;
        var project = PortalSetup.ContentRoot();
        var inProject = File.Exists(Path.Combine(project, "KcCsp.Web.csproj")) && SameFolder(current, project);
        return inProject && !SameFolder(shell, current) ? shell : current;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>A path given on the command line, as the user meant it (see <see cref="CallerDirectory"/>).</summary>
    public static string ResolvePath(string path) =>
        Path.IsPathFullyQualified(path) ? path : Path.GetFullPath(path, CallerDirectory());

    private static IHost BuildHost(Action<IHostApplicationBuilder>? configure)
    {
        // A verb runs for seconds: no watching appsettings.json for changes (each watcher takes one of the user's
        // few inotify instances, and many verbs run at once in tests and scripts).
        var configuration = new ConfigurationManager();
        configuration["hostBuilder:reloadConfigOnChange"] = "false";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = PortalSetup.ContentRoot(),
            EnvironmentName = PortalSetup.EnvironmentName(),
            Configuration = configuration,
        });
        configure?.Invoke(builder);
        builder.AddLogging();
        builder.Services.AddKcCspData(builder.Configuration);
        return builder.Build();
    }
}
