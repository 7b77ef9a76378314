using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>Sign-in protections, officers' updates, and the demo and CLI users.</summary>
public sealed class PeopleTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> WithDbAsync<T>(Func<KcCspDbContext, Task<T>> query)
    {
        _ = factory.Server;
        using var scope = factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    private Task<PlanAction> ActionLedByAsync(string agency) =>
        WithDbAsync(db => db.Actions.Include(a => a.Priority).OrderBy(a => a.Id).FirstAsync(a => a.LeadAgency == agency));

    private static Dictionary<string, string> Update(string status, int percent, string commentary, string date) => new()
    {
        ["NewUpdate.Status"] = status, ["NewUpdate.PercentComplete"] = percent.ToString(),
        ["NewUpdate.Commentary"] = commentary, ["NewUpdate.Date"] = date,
    };

    [Fact]
    public async Task Officer_posting_to_another_agencys_action_gets_403_and_nothing_changes()
    {
        var council = await ActionLedByAsync("Council");
        var officer = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);
        var auditBefore = await WithDbAsync(db => db.AuditEntries.CountAsync());

        var response = await Forms.PostAsync(officer, $"/actions/{council.Id}", $"/actions/{council.Id}/updates",
            Update("Complete", 100, "Done, says the police", "2011-02-01"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var after = await WithDbAsync(db => db.Actions.Include(a => a.Updates).SingleAsync(a => a.Id == council.Id));
        after.Status.Should().Be(council.Status);
        after.PercentComplete.Should().Be(council.PercentComplete);
        after.Updates.Should().BeEmpty();
        (await WithDbAsync(db => db.AuditEntries.CountAsync())).Should().Be(auditBefore);
        // The page offers no form to someone who may not post.
        (await officer.GetStringAsync($"/actions/{council.Id}")).Should().NotContain("Post a progress update");
    }

    [Fact]
    public async Task Officer_update_to_own_agencys_action_shows_on_the_priority_page_and_history_is_newest_first()
    {
        var police = await ActionLedByAsync("Police");
        var officer = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);

        var first = await Forms.PostAsync(officer, $"/actions/{police.Id}", $"/actions/{police.Id}/updates",
            Update("OnTrack", 40, "Patrol plan agreed with the council", "2010-09-30"));
        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var second = await Forms.PostAsync(officer, $"/actions/{police.Id}", $"/actions/{police.Id}/updates",
            Update("AtRisk", 55, "Two officers moved to the Olympics planning team", "2010-12-15"));
        second.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var board = await factory.SignedInClientAsync(Roles.Board);
        var priority = await board.GetStringAsync($"/priorities/{police.Priority!.Code}");
        var row = Regex.Match(priority, $"<tr data-action=\"{police.Id}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        row.Should().Contain("Two officers moved to the Olympics planning team").And.Contain("Demo officer").And.Contain("15 Dec 2010");
        row.Should().Contain("at risk").And.Contain("55%");
        // Due 31 March 2011 and not complete: flagged with an icon and the word.
        row.Should().Contain("⚠").And.Contain("overdue");

        var page = await board.GetStringAsync($"/actions/{police.Id}");
        page.IndexOf("Two officers moved", StringComparison.Ordinal).Should().BeLessThan(page.IndexOf("Patrol plan agreed", StringComparison.Ordinal));

        var mine = await officer.GetStringAsync("/my-actions");
        mine.Should().Contain($"data-action=\"{police.Id}\"").And.Contain("overdue");
        mine.Should().NotContain($"data-action=\"{(await ActionLedByAsync("Council")).Id}\"");
    }

    [Fact]
    public async Task Officer_assigned_as_owner_may_update_another_agencys_action()
    {
        var council = await ActionLedByAsync("Council");
        var officerId = await WithDbAsync(db => db.Users.Where(u => u.Email == "officer@kccsp.local").Select(u => u.Id).SingleAsync());
        var analyst = await factory.SignedInClientAsync(Roles.Analyst, followRedirects: false);

        var assigned = await Forms.PostAsync(analyst, $"/actions/{council.Id}/edit", $"/actions/{council.Id}/edit", new()
        {
            ["Form.PriorityCode"] = council.Priority!.Code, ["Form.Theme"] = council.Theme, ["Form.Text"] = council.Text,
            ["Form.Detail"] = council.Detail, ["Form.LeadAgency"] = "Council", ["Form.DueDate"] = "2011-03-31",
            ["Form.Status"] = "NotStarted", ["Form.PercentComplete"] = "0", ["Form.OwnerIds"] = officerId,
        });
        assigned.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var officer = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);
        var posted = await Forms.PostAsync(officer, $"/actions/{council.Id}", $"/actions/{council.Id}/updates",
            Update("OnTrack", 10, "Joint visits started", "2010-10-01"));
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await officer.GetStringAsync("/my-actions")).Should().Contain($"data-action=\"{council.Id}\"").And.Contain("assigned to you");
    }

    [Fact]
    public async Task Post_without_a_valid_antiforgery_token_is_rejected_and_changes_nothing()
    {
        var police = await ActionLedByAsync("Police");
        var officer = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);

        var none = await officer.PostAsync($"/actions/{police.Id}/updates", new FormUrlEncodedContent(Update("Complete", 100, "No token", "2011-01-01")));
        var fields = Update("Complete", 100, "Forged token", "2011-01-01");
        fields["__RequestVerificationToken"] = "CfDJ8-forged";
        var forged = await officer.PostAsync($"/actions/{police.Id}/updates", new FormUrlEncodedContent(fields));
        var signIn = await factory.CreateRawClient().PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "board@kccsp.local", ["Password"] = PortalFactory.DemoPassword,
        }));

        none.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        signIn.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await WithDbAsync(db => db.ActionUpdates.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task Six_wrong_passwords_lock_the_account()
    {
        var client = factory.CreateRawClient();
        for (var i = 0; i < 6; i++)
        {
            var wrong = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = "board@kccsp.local", ["Password"] = $"Wrong-pass-{i}-xyz" });
            wrong.StatusCode.Should().Be(HttpStatusCode.OK, "a failed sign-in shows the form again");
        }

        var right = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = "board@kccsp.local", ["Password"] = PortalFactory.DemoPassword });
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync()).Should().Contain("locked");
        var user = await WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "board@kccsp.local"));
        user.LockoutEnd.Should().BeAfter(DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("https://example.org")]
    [InlineData("//example.org")]
    [InlineData("/\\example.org")]
    public async Task Sign_in_never_redirects_off_site(string returnUrl)
    {
        var client = factory.CreateRawClient();
        var page = $"/sign-in?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var html = await client.GetStringAsync(page);
        html.Should().Contain("name=\"ReturnUrl\"");

        var response = await Forms.PostAsync(client, page, "/sign-in", new()
        {
            ["Email"] = "board@kccsp.local", ["Password"] = PortalFactory.DemoPassword, ["ReturnUrl"] = returnUrl,
        });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task Sign_in_returns_to_the_local_page_asked_for()
    {
        var client = factory.CreateRawClient();
        var challenge = await client.GetAsync("/priorities/domestic-violence");
        challenge.StatusCode.Should().Be(HttpStatusCode.Redirect);
        challenge.Headers.Location!.OriginalString.Should().Contain("/sign-in?ReturnUrl=%2Fpriorities%2Fdomestic-violence");

        var response = await Forms.PostAsync(client, "/sign-in?ReturnUrl=%2Fpriorities%2Fdomestic-violence", "/sign-in", new()
        {
            ["Email"] = "analyst@kccsp.local", ["Password"] = PortalFactory.DemoPassword, ["ReturnUrl"] = "/priorities/domestic-violence",
        });
        response.Headers.Location!.OriginalString.Should().Be("/priorities/domestic-violence");
        var page = await client.GetStringAsync("/priorities/domestic-violence");
        page.Should().Contain("data-signed-in=\"analyst@kccsp.local\"").And.Contain("action=\"/sign-out\"");
    }

    [Fact]
    public async Task Responses_carry_the_security_headers_and_cookies_are_http_only()
    {
        var client = factory.CreateRawClient();
        foreach (var path in new[] { "/sign-in", "/css/site.css", "/" })
        {
            var response = await client.GetAsync(path);
            response.Headers.GetValues("Content-Security-Policy").Single().Should()
                .Be("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("strict-origin-when-cross-origin");
        }

        var signIn = await Forms.PostAsync(factory.CreateRawClient(), "/sign-in", "/sign-in", new() { ["Email"] = "board@kccsp.local", ["Password"] = PortalFactory.DemoPassword });
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp.auth=", StringComparison.Ordinal));
        auth.Should().Contain("httponly").And.Contain("samesite=lax");
        // No page has inline script: the CSP would block it.
        var home = await (await factory.SignedInClientAsync(Roles.Board)).GetStringAsync("/");
        Regex.Matches(home, "<script(?![^>]*\\bsrc=)[^>]*>").Should().BeEmpty();
        home.Should().NotContain("style=\"");
    }

    [Fact]
    public async Task Outside_development_cookies_are_secure_and_there_are_no_demo_users()
    {
        await using var production = new PortalFactory(environment: "Production");
        _ = production.Server;
        using var scope = production.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        (await db.Users.CountAsync()).Should().Be(0);
        (await db.Roles.Select(r => r.Name).ToListAsync()).Should().BeEquivalentTo(Roles.All);

        var (exit, stdout, stderr) = await production.RunCliWithInputAsync("", "create-user", "--email", "chair@rbkc.gov.uk", "--role", "board");
        exit.Should().Be(0, stderr);
        var password = Regex.Match(stdout, "Password: (\\S+)").Groups[1].Value;
        var client = production.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var response = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = "chair@rbkc.gov.uk", ["Password"] = password });
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp.auth=", StringComparison.Ordinal)).Should().Contain("secure");
    }

    [Fact]
    public async Task Cli_create_user_generates_or_reads_a_password_and_checks_the_policy()
    {
        var (exit, stdout, stderr) = await factory.RunCliAsync("create-user", "--email", "pc.smith@met.police.uk", "--role", "Officer", "--agency", "police", "--name", "PC Smith");
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("Created pc.smith@met.police.uk (Officer, Police)");
        var generated = Regex.Match(stdout, "Password: (\\S+)").Groups[1].Value;
        generated.Length.Should().BeGreaterThanOrEqualTo(20);
        await factory.SignedInAsAsync("pc.smith@met.police.uk", generated);

        (await factory.RunCliWithInputAsync("Long-enough-pass-42\n", "create-user", "--email", "yot@rbkc.gov.uk", "--role", "officer", "--agency", "Youth Offending Team", "--password-stdin"))
            .ExitCode.Should().Be(0);
        await factory.SignedInAsAsync("yot@rbkc.gov.uk", "Long-enough-pass-42");

        var weak = await factory.RunCliWithInputAsync("short1!A\n", "create-user", "--email", "weak@rbkc.gov.uk", "--role", "Board", "--password-stdin");
        weak.ExitCode.Should().Be(2);
        weak.Err.Should().Contain("at least 12 characters");
        var badRole = await factory.RunCliAsync("create-user", "--email", "x@rbkc.gov.uk", "--role", "Chief");
        badRole.ExitCode.Should().Be(2);
        badRole.Err.Should().Contain("--role: 'Chief' is not one of Board, Analyst, Officer, Admin");

        var audit = await WithDbAsync(db => db.AuditEntries.Where(a => a.Entity == "User" && a.User == "cli").ToListAsync());
        audit.Should().HaveCount(2);
        JsonDocument.Parse(audit[0].After!).RootElement.GetProperty("role").GetString().Should().Be("Officer");
        audit[0].After.Should().NotContain("Password").And.NotContain(generated);
    }

    [Fact]
    public async Task Audit_rows_cannot_be_modified_or_deleted()
    {
        _ = factory.Server;
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var entry = await db.AuditEntries.FirstAsync();
        entry.After = "{\"tampered\":true}";
        var modify = () => db.SaveChangesAsync();
        await modify.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();

        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());
        var delete = () => db.SaveChangesAsync();
        await delete.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();
        db.ChangeTracker.Clear();

        await BulkChangesAreRefusedAsync(db);
    }

    /// <summary>Bulk updates and deletes bypass the change tracker: the guard on the context's commands refuses them too.</summary>
    [Fact]
    public async Task Audit_rows_cannot_be_bulk_modified_or_deleted_on_postgresql()
    {
        await using var postgres = new PortalFactory(TestEnvironment.PostgresConnectionString());
        _ = postgres.Server;
        using var scope = postgres.Services.CreateScope();
        await BulkChangesAreRefusedAsync(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    private static async Task BulkChangesAreRefusedAsync(KcCspDbContext db)
    {
        var rows = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.After }).ToListAsync();
        rows.Should().NotBeEmpty("the seed writes audit entries");

        var update = () => db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(a => a.After, "{\"tampered\":true}"));
        await update.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();
        var deleteSome = () => db.AuditEntries.Where(a => a.Id == rows[0].Id).ExecuteDeleteAsync();
        await deleteSome.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();
        var deleteAll = () => db.AuditEntries.ExecuteDelete();
        deleteAll.Should().Throw<AuditTrailIsAppendOnlyException>();
        var raw = () => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"");
        await raw.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();
        var rawUpdate = () => db.Database.ExecuteSqlRawAsync("update AuditEntries set After = NULL");
        await rawUpdate.Should().ThrowAsync<AuditTrailIsAppendOnlyException>();

        (await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.After }).ToListAsync())
            .Should().Equal(rows, "nothing was changed or removed");
        // Other tables' bulk changes still run.
        await db.ApiTokens.Where(t => t.Id < 0).ExecuteDeleteAsync();
    }

    [Theory]
    [InlineData("DELETE FROM [a]\r\nFROM [AuditEntries] AS [a]\r\nWHERE [a].[Id] = 1", true)]
    [InlineData("UPDATE [a]\r\nSET [a].[After] = N'x'\r\nFROM [AuditEntries] AS [a]", true)]
    [InlineData("SET NOCOUNT ON;\r\nUPDATE [AuditEntries] SET [After] = NULL", true)]
    [InlineData("DELETE FROM \"AuditEntries\" AS a WHERE a.\"Id\" = 1", true)]
    [InlineData("INSERT INTO \"AuditEntries\" (\"At\") VALUES (@p0)", false)]
    [InlineData("SELECT a.\"Id\" FROM \"AuditEntries\" AS a", false)]
    [InlineData("DELETE FROM [t]\r\nFROM [ApiTokens] AS [t]\r\nWHERE EXISTS (SELECT 1 FROM [AuditEntries] AS [a])", false)]
    [InlineData("UPDATE \"ApiTokens\" SET \"LastUsedAt\" = @p0", false)]
    public void The_guard_recognises_each_providers_bulk_sql(string sql, bool refused) =>
        AuditTrailGuard.ChangesAuditTrail(sql).Should().Be(refused);
}
