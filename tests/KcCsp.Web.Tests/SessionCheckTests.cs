using System.Diagnostics;
using System.Net;
using KcCsp.Data;
using KcCsp.Data.People;
using KcCsp.Web.Tests.Reports;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>
/// Two instances of the portal on one database (issue 19): a signed-in request does not read the user's security stamp
/// once it is known, yet a sign-out, a lock or a role change on one instance ends the session on the other within
/// <c>Reports:StampCheckSeconds</c>.
/// </summary>
public sealed class SessionCheckTests : IAsyncLifetime
{
    private const double CheckSeconds = 1;
    private static readonly Dictionary<string, string?> Settings = new() { ["Reports:StampCheckSeconds"] = CheckSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    private readonly PortalFactory first = new(settings: Settings);
    private PortalFactory secondInstance = null!;
    private WebApplicationFactory<Program> second = null!;
    private readonly SqlCounter counter = new();

    public ValueTask InitializeAsync()
    {
        _ = first.Services; // the first instance migrates and seeds the database
        secondInstance = first.AnotherInstance();
        second = secondInstance.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<KcCspDbContext>(o => o.AddInterceptors(counter))));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await second.DisposeAsync();
        await secondInstance.DisposeAsync();
        await first.DisposeAsync();
    }

    public static TheoryData<string> Endings => ["sign-out", "lock", "role change"];

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task A_warm_request_reads_no_security_stamp_and_an_ended_session_ends_on_the_other_instance_within_the_check_interval(string ending)
    {
        var ct = TestContext.Current.CancellationToken;
        // Signed in on the first instance; the same cookie presented to the second.
        var one = first.CreateRawClient();
        var signIn = await Forms.PostAsync(one, "/sign-in", "/sign-in", new() { ["Email"] = PortalFactory.DemoEmail("Officer"), ["Password"] = PortalFactory.DemoPassword });
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp.auth=", StringComparison.Ordinal)).Split(';')[0];
        var two = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        two.DefaultRequestHeaders.Add("Cookie", cookie);

        counter.Reset();
        (await two.GetAsync("/my-actions", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        counter.Commands(IsStampRead).Should().Be(1, "the session's first request on this instance reads its security stamp");
        counter.Reset();
        (await two.GetAsync("/my-actions", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        counter.Commands(IsStampRead).Should().Be(0, "a warm signed-in request does not read the security stamp");

        var watch = Stopwatch.StartNew();
        switch (ending)
        {
            case "sign-out":
                var token = Forms.Token(await (await one.GetAsync("/my-actions", ct)).Content.ReadAsStringAsync(ct));
                (await one.PostAsync("/sign-out", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), ct)).StatusCode.Should().Be(HttpStatusCode.Redirect);
                break;
            case "lock":
                await AdministerAsync((admin, id) => admin.SetLockedAsync(id, true, "admin@kccsp.local"));
                break;
            case "role change":
                await AdministerAsync((admin, id) => admin.ChangeAsync(id, new UserChangeInput { Role = "Board" }, "admin@kccsp.local"));
                break;
        }
        watch.Restart();
        HttpResponseMessage answer;
        do answer = await two.GetAsync("/my-actions", ct);
        while (answer.StatusCode == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(CheckSeconds * 5));
        var took = watch.Elapsed;

        answer.StatusCode.Should().Be(HttpStatusCode.Redirect, $"after the {ending} on the first instance the second must end the session");
        answer.Headers.Location!.AbsolutePath.Should().Be("/sign-in");
        took.Should().BeLessThan(TimeSpan.FromSeconds(CheckSeconds + 0.5), "the second instance re-reads the data stamp at least every {0} s", CheckSeconds);
        TestContext.Current.TestOutputHelper?.WriteLine($"{ending}: the second instance ended the session after {took.TotalMilliseconds:0} ms");
    }

    /// <summary>The session check's read (the stamp alone); pages that show the user load the whole user, which is not a check.</summary>
    private static bool IsStampRead(string sql) => System.Text.RegularExpressions.Regex.IsMatch(sql, @"^SELECT\s+\S+\.""?SecurityStamp""?\s+FROM\s+""?AspNetUsers");

    private async Task AdministerAsync(Func<UserAdminService, string, Task<Result>> change)
    {
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var id = await db.Users.Where(u => u.Email == PortalFactory.DemoEmail("Officer")).Select(u => u.Id).SingleAsync();
        (await change(scope.ServiceProvider.GetRequiredService<UserAdminService>(), id)).Outcome.Should().Be(Outcome.Done);
    }
}
