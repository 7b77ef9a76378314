using System.Net;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>
/// Every endpoint of the application has a rule here, and every identity (anonymous and each role) gets the answer
/// its rule gives: the page (or the endpoint's own status) when allowed, a redirect to sign-in when anonymous, 403
/// when signed in without the role. A new endpoint without a rule fails <see cref="Every_endpoint_has_a_rule"/>.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private static readonly string[] Anyone = ["anonymous", "Board", "Analyst", "Officer", "Admin"];
    private static readonly string[] SignedIn = ["Board", "Analyst", "Officer", "Admin"];
    private static readonly string[] Analysts = ["Analyst"];
    private static readonly string[] ActionPlanners = ["Analyst", "Admin"];
    private static readonly string[] ProgressUpdaters = ["Officer", "Analyst", "Admin"];
    private static readonly string[] Admins = ["Admin"];

    /// <summary>
    /// One line per endpoint: "METHOD route pattern", a path to try (POSTs send an empty form with a valid anti-forgery
    /// token, aimed at records that do not exist so nothing changes), who is allowed, and the status they get.
    /// </summary>
    private static readonly Rule[] Rules =
    [
        new("GET /sign-in", "/sign-in", Anyone),
        new("POST /sign-in", "/sign-in", Anyone),
        new("POST /sign-out", "/sign-out", SignedIn, Ok: 302, EndsSession: true),
        new("GET /account/password", "/account/password", SignedIn),
        new("POST /account/password", "/account/password", SignedIn, Ok: 400),
        new("ANY /health/live", "/health/live", Anyone),
        new("ANY /health/ready", "/health/ready", Anyone),
        new("ANY /error/{status:int?}", "/error/418", Anyone, Ok: 418),
        new("GET /", "/", SignedIn),
        new("GET /plans", "/plans", SignedIn),
        new("POST /plans/choose", "/plans/choose", SignedIn, Ok: 400),
        new("GET /priorities/{code}", "/priorities/domestic-violence", SignedIn),
        new("GET /priorities/{code}/analysis", "/priorities/domestic-violence/analysis", Analysts),
        new("POST /priorities/{code}/analysis", "/priorities/domestic-violence/analysis", Analysts, Ok: 400),
        new("GET /actions/{id:int}", "/actions/1", SignedIn),
        new("POST /actions/{id:int}/updates", "/actions/999999/updates", ProgressUpdaters, Ok: 404),
        new("GET /my-actions", "/my-actions", SignedIn),
        new("GET /actions/new", "/actions/new", ActionPlanners),
        new("POST /actions/new", "/actions/new", ActionPlanners, Ok: 400),
        new("GET /actions/{id:int}/edit", "/actions/1/edit", ActionPlanners),
        new("POST /actions/{id:int}/edit", "/actions/999999/edit", ActionPlanners, Ok: 400),
        new("GET /figures", "/figures", Analysts),
        new("POST /figures", "/figures", Analysts, Ok: 400),
        new("GET /figures/{id:int}/edit", "/figures/999999/edit", Analysts, Ok: 404),
        new("POST /figures/{id:int}/edit", "/figures/999999/edit", Analysts, Ok: 400),
        new("POST /figures/{id:int}/delete", "/figures/999999/delete", Analysts, Ok: 404),
        new("GET /figures/upload", "/figures/upload", Analysts),
        new("POST /figures/upload", "/figures/upload", Analysts, Ok: 400),
        new("GET /targets", "/targets", Analysts),
        new("POST /targets", "/targets", Analysts, Ok: 400),
        new("GET /targets/{id:int}/edit", "/targets/1/edit", Analysts),
        new("POST /targets/{id:int}/edit", "/targets/999999/edit", Analysts, Ok: 400),
        new("GET /measures", "/measures", Analysts),
        new("POST /measures", "/measures", Analysts, Ok: 400),
        new("GET /measures/{id:int}/edit", "/measures/1/edit", Analysts),
        new("POST /measures/{id:int}/edit", "/measures/999999/edit", Analysts, Ok: 400),
        new("GET /peer-groups", "/peer-groups", Analysts),
        new("POST /peer-groups", "/peer-groups", Analysts, Ok: 400),
        new("GET /peer-groups/{id:int}/edit", "/peer-groups/999999/edit", Analysts, Ok: 404),
        new("POST /peer-groups/{id:int}/edit", "/peer-groups/999999/edit", Analysts, Ok: 400),
        new("POST /peer-groups/{id:int}/delete", "/peer-groups/999999/delete", Analysts, Ok: 404),
        new("GET /admin/users", "/admin/users", Admins),
        new("POST /admin/users", "/admin/users", Admins, Ok: 400),
        new("POST /admin/users/{id}", "/admin/users/nobody", Admins, Ok: 400),
        new("POST /admin/users/{id}/lock", "/admin/users/nobody/lock", Admins, Ok: 404),
        new("POST /admin/users/{id}/unlock", "/admin/users/nobody/unlock", Admins, Ok: 404),
        new("GET /admin/audit", "/admin/audit", Admins),
        // Crime-extract imports and category mappings: analysts (issue 3); the jobs dashboard: admins.
        new("GET /imports", "/imports", Analysts),
        new("POST /imports", "/imports", Analysts, Ok: 400),
        new("GET /imports/{id:int}", "/imports/999999", Analysts, Ok: 404),
        new("POST /imports/{id:int}/rollback", "/imports/999999/rollback", Analysts, Ok: 404),
        new("POST /imports/population", "/imports/population", Analysts, Ok: 422),
        new("GET /categories", "/categories", Analysts),
        new("POST /categories/aliases/{id:int}", "/categories/aliases/999999", Analysts, Ok: 404),
        new("POST /categories", "/categories", Analysts, Ok: 422),
        new("ANY /jobs/{**path}", "/jobs", Admins),
        // Personal access tokens for the API: every signed-in user manages their own.
        new("GET /api-tokens", "/api-tokens", SignedIn),
        new("POST /api-tokens", "/api-tokens", SignedIn, Ok: 400),
        new("POST /api-tokens/{id:int}/revoke", "/api-tokens/999999/revoke", SignedIn, Ok: 404),
        // Board pack, CSV downloads and the read-only JSON API: everyone signed in reads them (issue 5).
        new("GET /board-pack", "/board-pack", SignedIn),
        new("GET /board-pack/print", "/board-pack/print", SignedIn),
        new("GET /measures.csv", "/measures.csv", SignedIn),
        new("GET /partnership.csv", "/partnership.csv", SignedIn),
        new("GET /priorities/{code}/measures.csv", "/priorities/domestic-violence/measures.csv", SignedIn),
        new("GET /priorities/{code}/targets.csv", "/priorities/serious-acquisitive-crime/targets.csv", SignedIn),
        new("GET /priorities/{code}/actions.csv", "/priorities/domestic-violence/actions.csv", SignedIn),
        new("GET /priorities/{code}/charts/{measure}.csv", "/priorities/domestic-violence/charts/domestic-violence.csv", SignedIn),
        new("GET /api/priorities", "/api/priorities", SignedIn),
        new("GET /api/priorities/{code}", "/api/priorities/domestic-violence", SignedIn),
        new("GET /api/priorities/{code}/actions", "/api/priorities/domestic-violence/actions", SignedIn),
        new("GET /api/measures", "/api/measures", SignedIn),
        new("GET /api/measures/{code}", "/api/measures/domestic-violence", SignedIn),
        new("GET /api/measures/{code}/comparison", "/api/measures/domestic-violence/comparison?area=Kensington%20and%20Chelsea&year=2009/10&toMonth=1", SignedIn),
        new("GET /api/measures/{code}/series", "/api/measures/domestic-violence/series?area=Kensington%20and%20Chelsea&from=2009-04&to=2010-01", SignedIn),
        new("GET /api/measures/{code}/spc", "/api/measures/total-notifiable-offences/spc?area=Kensington%20and%20Chelsea&from=2009-04&to=2009-04", SignedIn, Ok: 400),
        new("GET /api/measures/{code}/hotspots", "/api/measures/total-notifiable-offences/hotspots?area=Kensington%20and%20Chelsea&year=2009/10&toMonth=1", SignedIn, Ok: 400),
        new("GET /measures/{code}/hotspots.csv", "/measures/total-notifiable-offences/hotspots.csv?area=Kensington%20and%20Chelsea&year=2009/10&toMonth=1", SignedIn, Ok: 400),
        new("GET /api/measures/{code}/rolling-12", "/api/measures/total-notifiable-offences/rolling-12?area=Kensington%20and%20Chelsea&to=2010-01", SignedIn),
        new("GET /api/actions", "/api/actions", SignedIn),
        // A draft is for analysts; the board reads what is published. Drafted here from the plan's published figures.
        new("GET /api/priorities/{code}/narrative", "/api/priorities/serious-acquisitive-crime/narrative?area=Kensington%20and%20Chelsea&from=2009-04&to=2010-01", Analysts),
        new("GET /api/{**rest}", "/api/no-such-thing", SignedIn, Ok: 404),
        new("GET /openapi/{documentName}.json", "/openapi/v1.json", SignedIn),
    ];

    private sealed record Rule(string Endpoint, string Path, string[] Allowed, int Ok = 200, bool EndsSession = false)
    {
        public string Method => Endpoint[..Endpoint.IndexOf(' ')];

        /// <summary>The JSON API answers an anonymous caller 401 rather than redirecting to the sign-in page.</summary>
        public bool IsApi => Path.StartsWith("/api/", StringComparison.Ordinal) || Path.StartsWith("/openapi/", StringComparison.Ordinal);
    }

    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    /// <summary>"GET /actions/{id:int}" for each method of each routed endpoint; "ANY ..." when it takes every method.</summary>
    private List<string> Endpoints()
    {
        _ = factory.Server;
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e =>
            {
                var pattern = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
                var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                return methods is { Count: > 0 } ? methods.Select(m => $"{m} {pattern}") : [$"ANY {pattern}"];
            })
            .Distinct().Order().ToList();
    }

    [Fact]
    public void Every_endpoint_has_a_rule()
    {
        var endpoints = Endpoints();
        var ruled = Rules.Select(r => r.Endpoint).ToList();

        endpoints.Except(ruled).Should().BeEmpty("every endpoint needs a line in AuthorizationTests.Rules saying who may use it");
        ruled.Except(endpoints).Should().BeEmpty("a rule for an endpoint that no longer exists should be removed");
        ruled.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Each_identity_gets_the_answer_its_rule_gives()
    {
        var failures = new List<string>();
        foreach (var identity in Anyone)
        {
            var client = identity == "anonymous"
                ? factory.CreateRawClient()
                : await factory.SignedInClientAsync(identity, followRedirects: false);
            // The token is bound to the identity; the sign-in page shows a form (with a token) to everyone.
            var token = await Forms.TokenAsync(client, "/sign-in");
            foreach (var rule in Rules.OrderBy(r => r.EndsSession))
            {
                var request = new HttpRequestMessage(rule.Method == "POST" ? HttpMethod.Post : HttpMethod.Get, rule.Path);
                if (rule.Method == "POST") request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                var toSignIn = status == 302 && location.Contains("/sign-in?ReturnUrl=", StringComparison.Ordinal);

                string? problem = null;
                if (rule.Allowed.Contains(identity))
                {
                    if (status != rule.Ok || toSignIn) problem = $"expected {rule.Ok}, got {status} {location}";
                }
                else if (identity == "anonymous" && rule.IsApi)
                {
                    if (status != 401) problem = $"expected 401 (API), got {status} {location}";
                }
                else if (identity == "anonymous")
                {
                    if (!toSignIn) problem = $"expected a redirect to sign-in, got {status} {location}";
                }
                else if (status != 403)
                {
                    problem = $"expected 403, got {status} {location}";
                }
                if (problem is not null) failures.Add($"{identity,-9} {rule.Method} {rule.Path}: {problem}");
            }
        }
        failures.Should().BeEmpty(string.Join("\n", failures));
    }
}
