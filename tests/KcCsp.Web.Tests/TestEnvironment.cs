namespace KcCsp.Web.Tests;

/// <summary>
/// Services some suites need. Each is named by an environment variable; when it is missing the suite reports itself
/// skipped with the reason, except under CI=true, where nothing may skip and a missing service fails the test.
/// </summary>
public static class TestEnvironment
{
    public const string PostgresVariable = "KCCSP_TEST_POSTGRES";
    public const string ChromiumVariable = "KCCSP_TEST_CHROMIUM";
    public const string DataVariable = "KCCSP_SHARED_DATA";

    /// <summary>
    /// The suite starts many portals (test hosts and CLI child processes, which inherit the environment); each would
    /// watch its settings files with an inotify instance, of which Linux allows 128 per user by default. Tests never edit
    /// settings files while a portal runs, so none is watched.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void DoNotWatchSettingsFiles() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of the variable, or a skip (a failure under CI) saying what is missing.</summary>
    public static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        var reason = $"{what}: set {variable} to run this test (.ci/run does).";
        if (IsCi) throw new InvalidOperationException($"CI=true and {reason}");
        Assert.Skip(reason);
        return "";
    }

    public static string PostgresConnectionString() => Require(PostgresVariable, "needs a PostgreSQL server");

    public static string ChromiumPath() => Require(ChromiumVariable, "needs Chromium");

    /// <summary>A file under ../shared/data (the real MPS extracts and ONS populations).</summary>
    public static string DataFile(string relative)
    {
        var folder = Require(DataVariable, "needs the real data in ../shared/data");
        var path = Path.Combine(folder, relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"{DataVariable} points at {folder}, which has no {relative}.", path);
        return path;
    }
}
