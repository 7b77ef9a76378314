using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>Power BI and scripts read the API with a personal access token instead of a sign-in cookie.</summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static HttpClient WithToken(PortalFactory factory, string token)
    {
        var client = factory.CreateRawClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_reads_the_api_as_its_user_until_revoked()
    {
        var board = await factory.SignedInClientAsync("Board");
        var created = await Forms.PostAsync(board, "/api-tokens", "/api-tokens", new() { ["name"] = "Power BI board dashboard" });
        created.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await created.Content.ReadAsStringAsync();
        var secret = Regex.Match(html, "<code data-new-token>(kccsp_[A-Za-z0-9_-]+)</code>").Groups[1].Value;
        secret.Should().NotBeEmpty();

        // The secret is not stored: only its hash.
        using (var scope = factory.Services.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().ApiTokens.SingleAsync();
            stored.Hash.Should().NotContain(secret).And.HaveLength(64);
            stored.Prefix.Should().Be(secret[..10]);
        }

        var api = WithToken(factory, secret);
        var comparison = await api.GetAsync("/api/measures/serious-acquisitive-crime/comparison?year=2009/10&toMonth=1");
        comparison.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var json = JsonDocument.Parse(await comparison.Content.ReadAsStringAsync()))
            json.RootElement.GetProperty("value").GetDecimal().Should().Be(3374);
        (await api.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.OK);

        // A token opens the API only, not the pages, and carries its user's role, no more.
        var page = await api.GetAsync("/");
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Contain("/sign-in");

        // Nonsense and revoked tokens get 401.
        (await WithToken(factory, "kccsp_not-a-token").GetAsync("/api/measures")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var list = await board.GetStringAsync("/api-tokens");
        var id = Regex.Match(list, "data-token=\"(\\d+)\"").Groups[1].Value;
        (await Forms.PostAsync(board, "/api-tokens", $"/api-tokens/{id}/revoke", [])).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync("/api/measures")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Creating and revoking are on the audit trail.
        using (var scope = factory.Services.CreateScope())
        {
            var entries = await scope.ServiceProvider.GetRequiredService<KcCspDbContext>().AuditEntries
                .Where(e => e.Entity == "ApiToken").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
            entries.Should().Equal("created", "revoked");
        }
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        var officer = await factory.SignedInClientAsync("Officer");
        var response = await Forms.PostAsync(officer, "/api-tokens", "/api-tokens", new() { ["name"] = "  " });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Give the token a name");
    }
}
