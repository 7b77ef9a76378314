using System.Net;
using System.Text.RegularExpressions;
using KcCsp.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>
/// The portal as deployed: two instances in Production, real Kestrel servers on plain HTTP, one PostgreSQL database,
/// one inbox, reached through a proxy that ends TLS (played here by a client that sends X-Forwarded-Proto from loopback).
/// </summary>
public sealed class DeploymentTests
{
    [Fact]
    public async Task Two_production_instances_behind_a_proxy_share_sign_in_and_import_an_inbox_file_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var postgres = TestEnvironment.PostgresConnectionString();
        var inbox = Path.Combine(Path.GetTempPath(), "kccsp-tests", "inbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(inbox);
        // One extract waiting in the shared inbox; the nightly job is due every minute on both instances.
        await File.WriteAllTextAsync(Path.Combine(inbox, "extract.csv"),
            "Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Robbery,Personal Property,7\r\n", ct);
        var settings = new Dictionary<string, string?> { ["Import:Inbox"] = inbox, ["Import:NightlyCron"] = "* * * * *" };
        await using var first = new PortalFactory(postgres, "Production", settings);
        await using var second = first.AnotherInstance();
        first.UseKestrel(0);
        second.UseKestrel(0);
        // Both start at once on a database that does not exist yet: one creates, migrates and seeds it under the
        // startup lock, the other waits and finds it done.
        await Task.WhenAll(Task.Run(first.StartServer, ct), Task.Run(second.StartServer, ct));

        var (exit, stdout, stderr) = await first.RunCliAsync("create-user", "--email", "admin@rbkc.gov.uk", "--role", "Admin");
        exit.Should().Be(0, stderr);
        var password = Regex.Match(stdout, "Password: (\\S+)").Groups[1].Value;

        using var one = new ProxiedBrowser(Address(first));
        using var two = new ProxiedBrowser(Address(second), one.Cookies);

        // Reached directly over plain HTTP, no proxy: a page that says so, not a 500; health still answers.
        foreach (var direct in new[] { one, two })
        {
            var plain = await direct.GetAsync("/sign-in", viaProxy: false);
            plain.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await plain.Content.ReadAsStringAsync(ct)).Should().Contain("HTTPS only");
            (await direct.GetAsync("/health/ready", viaProxy: false)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await direct.GetAsync("/error", viaProxy: false)).StatusCode.Should().NotBe(HttpStatusCode.InternalServerError);
        }

        // Through the proxy: sign in on the first instance.
        var signIn = await one.PostFormAsync("/sign-in", "/sign-in", new() { ["Email"] = "admin@rbkc.gov.uk", ["Password"] = password });
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync(ct));
        signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kccsp.auth=", StringComparison.Ordinal)).Should().Contain("secure");

        // The second instance accepts the first one's cookie (keys in the database)...
        var home = await two.GetAsync("/");
        home.StatusCode.Should().Be(HttpStatusCode.OK);
        (await home.Content.ReadAsStringAsync(ct)).Should().Contain("data-signed-in=\"admin@rbkc.gov.uk\"");
        // ...and the anti-forgery token of a form the first served: sign out there, on the second.
        var token = Forms.Token(await (await one.GetAsync("/")).Content.ReadAsStringAsync(ct));
        var stolen = one.Cookies["kccsp.auth"];
        var signOut = await two.PostAsync("/sign-out", new() { ["__RequestVerificationToken"] = token });
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signOut.Headers.Location!.OriginalString.Should().Be("/sign-in");
        // Signing out ends the session everywhere: the old cookie, replayed on the first instance, no longer works.
        one.Cookies["kccsp.auth"] = stolen;
        var replay = await one.GetAsync("/");
        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.AbsolutePath.Should().Be("/sign-in");

        // The nightly job: due every minute on both instances, one file in the shared inbox, imported exactly once.
        // Wait for two scheduled runs, so that each instance had its chance at the file.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        List<Data.Model.NightlyImportRun> runs;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            runs = await WithDbAsync(first, db => db.NightlyImportRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct));
        }
        while (runs.Count < 2 && DateTime.UtcNow < deadline);
        runs.Should().HaveCountGreaterThanOrEqualTo(2, "the nightly job is due every minute");
        (await WithDbAsync(first, db => db.CrimeImports.CountAsync(ct))).Should().Be(1);
        runs.Count(r => r.Log.Contains("Imported extract.csv", StringComparison.Ordinal)).Should().Be(1, string.Join("\n---\n", runs.Select(r => r.Log)));
        // One run per minute across both instances (Hangfire's recurring job is shared through the database).
        runs.GroupBy(r => new DateTime(r.StartedAt.UtcDateTime.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute)).Should().OnlyContain(g => g.Count() == 1);
        File.Exists(Path.Combine(inbox, "processed", "extract.csv")).Should().BeTrue();
        Directory.EnumerateFiles(inbox).Should().BeEmpty();
        Directory.EnumerateFiles(Path.Combine(inbox, "processing")).Should().BeEmpty();
        Directory.Delete(inbox, recursive: true);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("10.1.2.3", null, true)]
    [InlineData("10.9.9.9", null, false)]
    [InlineData(null, "10.1.0.0/16", true)]
    [InlineData(null, "192.168.0.0/16", false)]
    public async Task Forwarded_headers_are_believed_from_configured_proxies_only(string? proxy, string? network, bool believed)
    {
        var settings = new Dictionary<string, string?>();
        if (proxy is not null) settings["ForwardedHeaders:KnownProxies:0"] = proxy;
        if (network is not null) settings["ForwardedHeaders:KnownNetworks:0"] = network;
        await using var factory = new PortalFactory(environment: "Production", settings: settings);
        // Requests arrive from 10.1.2.3, as from a proxy on another machine of the network.
        var client = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, FromAddress>()))
            .CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var page = await client.GetAsync("/sign-in", TestContext.Current.CancellationToken);

        page.StatusCode.Should().Be(believed ? HttpStatusCode.OK : HttpStatusCode.BadRequest);
        (await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain(believed ? "action=\"/sign-in\"" : "HTTPS only");
    }

    [Fact]
    public async Task A_proxy_setting_that_is_not_an_address_stops_the_start_with_the_reason()
    {
        await using var factory = new PortalFactory(environment: "Production", settings: new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/99" });
        var start = () => factory.CreateClient().GetAsync("/health/live");
        (await start.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*ForwardedHeaders:KnownNetworks: '10.0.0.0/99' is not a network in CIDR notation*");
    }

    [Fact]
    public async Task Plain_http_is_redirected_when_the_https_port_is_known()
    {
        await using var factory = new PortalFactory(environment: "Production", settings: new Dictionary<string, string?> { ["HTTPS_PORT"] = "8443" });
        var client = factory.CreateRawClient();
        var response = await client.GetAsync("/sign-in?ReturnUrl=%2F", TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.ToString().Should().Be("https://localhost:8443/sign-in?ReturnUrl=%2F");
        (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.OK, "health answers over plain HTTP");
    }

    private sealed class FromAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (ctx, nextMiddleware) =>
            {
                ctx.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
                await nextMiddleware();
            });
            next(app);
        };
    }

    private static Uri Address(PortalFactory factory) =>
        new(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<T> WithDbAsync<T>(PortalFactory factory, Func<KcCspDbContext, Task<T>> query)
    {
        using var scope = factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    /// <summary>
    /// A browser behind a TLS-ending proxy, as the portal sees it: plain HTTP from loopback with X-Forwarded-Proto:
    /// https. Keeps its cookies itself (Secure ones too, as the browser would over HTTPS); two of them may share a jar.
    /// </summary>
    private sealed class ProxiedBrowser(Uri address, Dictionary<string, string>? cookies = null) : IDisposable
    {
        private readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };

        public Dictionary<string, string> Cookies { get; } = cookies ?? [];

        public Task<HttpResponseMessage> GetAsync(string path, bool viaProxy = true) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), viaProxy);

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) }, viaProxy: true);

        public async Task<HttpResponseMessage> PostFormAsync(string page, string action, Dictionary<string, string> fields)
        {
            var token = Forms.Token(await (await GetAsync(page)).Content.ReadAsStringAsync());
            return await PostAsync(action, new(fields) { ["__RequestVerificationToken"] = token });
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool viaProxy)
        {
            if (viaProxy) request.Headers.Add("X-Forwarded-Proto", "https");
            if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var header in setCookies)
                {
                    var pair = header.Split(';')[0];
                    var name = pair[..pair.IndexOf('=')];
                    var value = pair[(pair.IndexOf('=') + 1)..];
                    if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                    else Cookies[name] = value;
                }
            }
            return response;
        }

        public void Dispose() => http.Dispose();
    }
}
