using KcCsp.Data.People;
using System.Net;
using System.Text.RegularExpressions;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Web.Features.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>Accounts in production: sessions that end, passwords users change themselves, administrators who stay.</summary>
public sealed class AccountTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        _ = factory.Server;
        using var scope = factory.Services.CreateScope();
        return await use(scope.ServiceProvider);
    }

    private Task<string> UserIdAsync(string email) =>
        WithScopeAsync(sp => sp.GetRequiredService<KcCspDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static string Errors(string html) => Regex.Match(html, "<div class=\"banner banner-error\"[^>]*>(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;

    [Fact]
    public async Task A_locked_account_and_an_unknown_address_get_the_same_message()
    {
        async Task<string> SeventhAttemptAsync(string email)
        {
            var client = factory.CreateRawClient();
            HttpResponseMessage last = null!;
            for (var i = 0; i < 7; i++)
                last = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = email, ["Password"] = $"Wrong-pass-{i}-xyz" });
            return Errors(await last.Content.ReadAsStringAsync());
        }

        var existing = await SeventhAttemptAsync("board@kccsp.local");
        var unknown = await SeventhAttemptAsync("nobody@kccsp.local");

        (await WithScopeAsync(sp => sp.GetRequiredService<KcCspDbContext>().Users.SingleAsync(u => u.Email == "board@kccsp.local")))
            .LockoutEnd.Should().BeAfter(DateTimeOffset.UtcNow, "six wrong passwords lock a real account");
        existing.Should().NotBeEmpty().And.Be(unknown);
        System.Net.WebUtility.HtmlDecode(existing).Should().Contain(Controllers.AccountController.SignInFailed);
    }

    [Fact]
    public async Task An_administrator_cannot_lock_or_demote_themselves_nor_the_last_administrator()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin, followRedirects: false);
        var adminId = await UserIdAsync("admin@kccsp.local");

        var lockSelf = await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{adminId}/lock", []);
        lockSelf.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await lockSelf.Content.ReadAsStringAsync()).Should().Contain("You cannot lock yourself");
        var demoteSelf = await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{adminId}", new() { ["Role"] = Roles.Board });
        demoteSelf.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await demoteSelf.Content.ReadAsStringAsync()).Should().Contain("You cannot take the Admin role from yourself");
        (await admin.GetAsync("/admin/users")).StatusCode.Should().Be(HttpStatusCode.OK, "still an administrator, still signed in");

        // Whoever asks (here the command line, in the service itself), the only unlocked administrator stays one.
        var refused = await WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().SetLockedAsync(adminId, true, "cli"));
        refused.Outcome.Should().Be(Outcome.Invalid);
        refused.Errors.Should().ContainSingle().Which.Should().Contain("only administrator who is not locked");
        var demoted = await WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().ChangeAsync(adminId, new UserChangeInput { Role = Roles.Board }, "cli"));
        demoted.Outcome.Should().Be(Outcome.Invalid);

        // With a second administrator, one may lock the other.
        (await factory.RunCliWithInputAsync("Second-admin-pass-42\n", "create-user", "--email", "admin2@rbkc.gov.uk", "--role", "Admin", "--password-stdin")).ExitCode.Should().Be(0);
        var admin2Id = await UserIdAsync("admin2@rbkc.gov.uk");
        var lockOther = await Forms.PostAsync(admin, "/admin/users", $"/admin/users/{admin2Id}/lock", []);
        lockOther.StatusCode.Should().Be(HttpStatusCode.Redirect);
        // Now admin2 is locked, admin is the last one again.
        (await WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().SetLockedAsync(adminId, true, "cli"))).Outcome.Should().Be(Outcome.Invalid);
        (await WithScopeAsync(sp => sp.GetRequiredService<KcCspDbContext>().Users.SingleAsync(u => u.Id == adminId))).LockoutEnd.Should().BeNull();
    }

    [Fact]
    public async Task A_user_changes_their_password_and_their_other_sessions_end()
    {
        var here = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);
        var elsewhere = await factory.SignedInClientAsync(Roles.Officer, followRedirects: false);
        const string newPassword = "Brand-new-pass-2011!";

        async Task<HttpResponseMessage> ChangeAsync(string current, string next, string confirm) =>
            await Forms.PostAsync(here, "/account/password", "/account/password", new() { ["CurrentPassword"] = current, ["NewPassword"] = next, ["ConfirmPassword"] = confirm });

        var wrong = await ChangeAsync("Not-the-password-1!", newPassword, newPassword);
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("The current password is not right.");
        var mismatch = await ChangeAsync(PortalFactory.DemoPassword, newPassword, newPassword + "x");
        mismatch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await mismatch.Content.ReadAsStringAsync()).Should().Contain("The two new passwords are not the same.");
        var weak = await ChangeAsync(PortalFactory.DemoPassword, "short1!A", "short1!A");
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await weak.Content.ReadAsStringAsync()).Should().Contain("at least 12 characters");

        var changed = await ChangeAsync(PortalFactory.DemoPassword, newPassword, newPassword);
        changed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await here.GetStringAsync("/account/password")).Should().Contain("Your password is changed.");
        (await elsewhere.GetAsync("/my-actions")).Headers.Location!.AbsolutePath.Should().Be("/sign-in", "the other browser is signed out");

        var old = await Forms.PostAsync(factory.CreateRawClient(), "/sign-in", "/sign-in", new() { ["Email"] = "officer@kccsp.local", ["Password"] = PortalFactory.DemoPassword });
        old.StatusCode.Should().Be(HttpStatusCode.OK, "the old password no longer signs in");
        await factory.SignedInAsAsync("officer@kccsp.local", newPassword);
        (await WithScopeAsync(sp => sp.GetRequiredService<KcCspDbContext>().AuditEntries.CountAsync(a => a.Action == "changed password" && a.User == "officer@kccsp.local")))
            .Should().Be(1);
    }

    [Fact]
    public async Task Signing_out_invalidates_the_cookie_even_if_it_was_copied()
    {
        var client = factory.CreateRawClient();
        var signIn = await Forms.PostAsync(client, "/sign-in", "/sign-in", new() { ["Email"] = "board@kccsp.local", ["Password"] = PortalFactory.DemoPassword });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp.auth=", StringComparison.Ordinal)).Split(';')[0];
        var copy = factory.CreateRawClient();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        (await copy.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK, "the copied cookie works while the session lasts");

        (await Forms.PostAsync(client, "/", "/sign-out", [])).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var replay = await copy.GetAsync("/");
        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.AbsolutePath.Should().Be("/sign-in");
    }

    [Fact]
    public async Task A_session_ends_its_lifetime_after_sign_in_however_busy()
    {
        await using var shortLived = new PortalFactory(settings: new Dictionary<string, string?> { ["Sessions:Lifetime"] = "00:00:04" });
        var client = await shortLived.SignedInClientAsync(Roles.Board, followRedirects: false);
        var signedInAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        (await client.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK, "past half of a four-second session (when a sliding one renews)");
        // A sliding session would now run to six and a half seconds; an absolute one ends at four.
        await Task.Delay(signedInAt.AddSeconds(4.5) - DateTime.UtcNow, TestContext.Current.CancellationToken);
        var expired = await client.GetAsync("/");
        expired.StatusCode.Should().Be(HttpStatusCode.Redirect);
        expired.Headers.Location!.AbsolutePath.Should().Be("/sign-in");
    }
}
