using System.Diagnostics;
using KcCsp.Web.Cli;

namespace KcCsp.Web.Tests;

/// <summary>The command line as the README prints it: verbs, exit codes and paths relative to the user's folder.</summary>
public sealed class CliCommandLineTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Theory]
    [InlineData("imoprt", "Did you mean 'import'?")]
    [InlineData("mesure", "Did you mean 'measure'?")]
    [InlineData("serve", null)]
    public async Task An_unknown_verb_lists_the_verbs_and_exits_2(string verb, string? suggestion)
    {
        CliApp.IsCommandLine([verb, "file.csv"]).Should().BeTrue("a misspelt verb must not start the web server");
        var (exit, stdout, stderr) = await factory.RunCliAsync(verb, "file.csv");
        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain($"'{verb}' is not a command.").And.Contain(suggestion ?? "is not a command.")
            .And.Contain("The commands are: migrate, measure, spc, narrative, create-user, import, import-population, import-ward-population, import-lsoa-lookup, hotspots, import-plan, export-plan");
    }

    [Fact]
    public void Options_and_settings_for_the_web_server_still_start_it()
    {
        CliApp.IsCommandLine([]).Should().BeFalse();
        CliApp.IsCommandLine(["--urls", "http://127.0.0.1:5190"]).Should().BeFalse();
        CliApp.IsCommandLine(["urls=http://127.0.0.1:5190"]).Should().BeFalse();
        CliApp.IsCommandLine(["import", "x.csv"]).Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_argument_exits_2_with_the_reason()
    {
        var (exit, _, stderr) = await factory.RunCliAsync("import");
        exit.Should().Be(2);
        stderr.Should().Contain("Required argument missing");
        // A folder is taken for a police.uk month's download: one with no street-level file in it is refused, by name.
        var empty = Path.Combine(factory.WorkDirectory, "2022-01");
        Directory.CreateDirectory(empty);
        await File.WriteAllTextAsync(Path.Combine(empty, "notes.txt"), "not a street file");
        var (exit2, _, stderr2) = await factory.RunCliAsync("import", empty);
        exit2.Should().Be(2);
        stderr2.Should().Contain("2022-01 holds no police.uk street-level file").And.Contain("'notes.txt'");
        var (exit3, _, stderr3) = await factory.RunCliAsync("import", Path.Combine(factory.WorkDirectory, "nowhere.csv"));
        exit3.Should().Be(2);
        stderr3.Should().Contain("nowhere.csv: no such file (looked for");
    }

    /// <summary>
    /// `dotnet run --project src/KcCsp.Web -- import ../shared/data/x.csv`, typed at the repository root, runs the
    /// portal in src/KcCsp.Web with the shell's PWD still naming the root: the path is the user's, relative to the root.
    /// Simulated exactly: the built executable started in its project folder with PWD set to another folder.
    /// </summary>
    [Fact]
    public async Task A_relative_path_resolves_against_the_folder_the_command_was_typed_in()
    {
        var typedIn = Path.Combine(factory.WorkDirectory, "checkout");
        Directory.CreateDirectory(Path.Combine(typedIn, "data"));
        await File.WriteAllTextAsync(Path.Combine(typedIn, "data", "extract.csv"),
            "Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Robbery,Personal Property,6\r\n");
        var project = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Importing.ImportKillTests.WebDll()))))!;
        File.Exists(Path.Combine(project, "KcCsp.Web.csproj")).Should().BeTrue(project);

        var (exit, output) = await RunAsync(project, typedIn, "import", "data/extract.csv");
        exit.Should().Be(0, output);
        output.Should().Contain("Imported extract.csv as import #1");

        // Typed in the project folder itself (PWD is the project folder): relative to it, and the message says where it looked.
        var (exit2, output2) = await RunAsync(project, project, "import", "data/extract.csv");
        exit2.Should().Be(2, output2);
        output2.Should().Contain($"data/extract.csv: no such file (looked for {Path.Combine(project, "data", "extract.csv")})");
    }

    private async Task<(int Exit, string Output)> RunAsync(string workingDirectory, string pwd, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Importing.ImportKillTests.WebDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in factory.Settings) info.Environment[key.Replace(":", "__")] = value;
        info.Environment["PWD"] = pwd;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
