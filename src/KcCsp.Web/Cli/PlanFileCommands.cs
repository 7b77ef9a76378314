using System.CommandLine;
using KcCsp.Data;
using KcCsp.Data.Partnerships;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Cli;

/// <summary>`import-plan FILE` and `export-plan [--plan CODE] [--out FILE]`: a partnership's plan as a file (docs/plan-format.md).</summary>
internal static class PlanFileCommands
{
    public static Command ImportPlan(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("file") { Description = "A plan file (JSON, docs/plan-format.md), e.g. plans/maidstone-2022-2025.json." };
        var command = new Command("import-plan", "Load a plan file: create the plan when its code is new, or revise the plan with that code (audited; every revision's file is kept).") { path };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(path)!;
            var file = CliApp.ResolvePath(given);
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync(Directory.Exists(file) ? $"{given}: is a folder, not a file." : $"{given}: no such file (looked for {file}).");
                return 2;
            }
            // A plan file is small: a larger file is refused without reading it.
            var size = new FileInfo(file).Length;
            if (size > PlanFileReader.MaxBytes)
            {
                await stderr.WriteLineAsync(PlanFileReader.TooLarge(given, size));
                return 2;
            }
            var bytes = await File.ReadAllBytesAsync(file, ct);
            var read = PlanFileReader.Read(given, bytes);
            if (read.Document is null)
            {
                foreach (var error in read.Errors) await stderr.WriteLineAsync(error);
                await stderr.WriteLineAsync($"{given}: not loaded ({read.Errors.Count} problem{(read.Errors.Count == 1 ? "" : "s")}); nothing was changed.");
                return 2;
            }
            var asked = parse.GetValue(CliPlan.Option);
            if (asked is not null && !string.Equals(asked, read.Document.Code, StringComparison.OrdinalIgnoreCase))
            {
                await stderr.WriteLineAsync($"{given} is the plan '{read.Document.Code}', not '{asked}': import-plan loads the plan the file names.");
                return 2;
            }
            using var host = buildHost();
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            PlanFileLoaded loaded;
            try
            {
                // Unscoped: the loader reads and writes the one plan the file names.
                loaded = await scope.ServiceProvider.GetRequiredService<PlanFiles>().ImportAsync(given, bytes, $"{Environment.UserName} (command line)", ct);
            }
            catch (PlanFileException e)
            {
                foreach (var error in e.Errors) await stderr.WriteLineAsync(error);
                await stderr.WriteLineAsync($"{given}: not loaded ({e.Errors.Count} problem{(e.Errors.Count == 1 ? "" : "s")}); nothing was changed.");
                return 2;
            }
            if (loaded.Created)
            {
                await stdout.WriteLineAsync($"Created plan {loaded.PlanCode} from {Path.GetFileName(file)} (revision 1).");
                foreach (var change in loaded.Changes.Skip(1)) await stdout.WriteLineAsync($"  {change}");
                return 0;
            }
            await stdout.WriteLineAsync($"Revised plan {loaded.PlanCode} from {Path.GetFileName(file)} (revision {loaded.Revision}):");
            foreach (var change in loaded.Changes) await stdout.WriteLineAsync($"  {change}");
            return 0;
        });
        return command;
    }

    public static Command ExportPlan(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "Write the plan file here instead of printing it." };
        var command = new Command("export-plan", "Write a plan (--plan CODE, or the first plan) as a plan file, as it now stands: what import-plan reads.") { output };
        command.SetAction(async (parse, ct) =>
        {
            using var host = buildHost();
            await DatabaseSetup.EnsureReadyAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            if (!await CliPlan.ScopeAsync(scope.ServiceProvider, parse, stderr, ct)) return 2;
            var (code, text) = await scope.ServiceProvider.GetRequiredService<PlanFiles>().ExportAsync(ct);
            if (parse.GetValue(output) is { } given)
            {
                var file = CliApp.ResolvePath(given);
                await File.WriteAllTextAsync(file, text, new System.Text.UTF8Encoding(false), ct);
                await stdout.WriteLineAsync($"Wrote plan {code} to {given}.");
            }
            else await stdout.WriteAsync(text);
            return 0;
        });
        return command;
    }
}
