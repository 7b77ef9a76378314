namespace KcCsp.Web.Features.Importing;

public static class ImportingWebSetup
{
    /// <summary>The analysts' import pages and the nightly import job.</summary>
    public static void AddImporting(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ImportPages>();
        builder.AddNightlyImport();
    }

    public static void UseImporting(this WebApplication app) => app.UseNightlyImport();
}
