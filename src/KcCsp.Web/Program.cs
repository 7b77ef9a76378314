using KcCsp.Data;
using KcCsp.Web;
using KcCsp.Web.Cli;
using Serilog;

// One executable: the portal, or a command-line verb (migrate, measure, ...) when the first argument names one.
if (CliApp.IsCommandLine(args))
{
    return await CliApp.RunAsync(args);
}

PortalSetup.SetHostDefaults();
var builder = WebApplication.CreateBuilder(args);
builder.AddPortal();
var app = builder.Build();
app.UsePortal();
await DatabaseSetup.MigrateAndSeedAsync(app.Services);
await app.RunAsync();
return 0;

// Visible to WebApplicationFactory in the tests.
public partial class Program;
