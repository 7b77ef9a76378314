using KcCsp.Data.Reporting;
using KcCsp.Web.Features.Api;
using KcCsp.Web.Features.BoardPack;
using KcCsp.Web.Features.Downloads;

namespace KcCsp.Web.Features;

/// <summary>The board pack, CSV downloads and the read-only JSON API with its OpenAPI document.</summary>
public static class OpenDataSetup
{
    public static IServiceCollection AddOpenData(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ActionUpdates>();
        services.AddScoped<BoardPackService>();
        services.AddScoped<TableDownloads>();
        services.AddScoped<OpenDataService>();
        // Only the API belongs in the document: pages, downloads and the error page are not an API.
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "KcCsp open data API";
                document.Info.Description = "Read-only: the partnership's priorities, measures, comparisons, monthly series and actions. See docs/api.md.";
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Serves the OpenAPI document at /openapi/v1.json.</summary>
    public static void MapOpenData(this WebApplication app) => app.MapOpenApi();
}
