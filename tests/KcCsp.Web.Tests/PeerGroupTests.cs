using System.Net;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>Peer groups: seeded Inner London, kept by analysts on an audited page, and a borough's position in its group.</summary>
public sealed class PeerGroupTests : IAsyncLifetime
{
    private static readonly string[] InnerLondon =
    [
        "Camden", "Hackney", "Hammersmith and Fulham", "Haringey", "Islington", "Kensington and Chelsea", "Lambeth",
        "Lewisham", "Newham", "Southwark", "Tower Hamlets", "Wandsworth", "Westminster",
    ];

    private readonly PortalFactory factory = new();
    private HttpClient analyst = null!;

    public async ValueTask InitializeAsync() => analyst = await factory.SignedInClientAsync(Roles.Analyst, followRedirects: false);

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> WithDbAsync<T>(Func<KcCspDbContext, Task<T>> read)
    {
        using var scope = factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    [Fact]
    public async Task Inner_London_is_seeded_as_the_default_group_of_13_boroughs()
    {
        var groups = await WithDbAsync(db => db.PeerGroups.Include(g => g.Members).ThenInclude(m => m.Area).ToListAsync());
        var inner = groups.Should().ContainSingle().Which;
        inner.Name.Should().Be("Inner London");
        inner.IsDefault.Should().BeTrue();
        inner.Members.Select(m => m.Area!.Name).Should().BeEquivalentTo(InnerLondon);

        var html = await analyst.GetStringAsync("/peer-groups");
        html.Should().Contain("Inner London").And.Contain("13: Camden, Hackney");
    }

    [Fact]
    public async Task Analysts_create_edit_and_delete_groups_and_each_change_is_audited()
    {
        var codes = await WithDbAsync(db => db.Areas.Where(a => a.Kind == AreaKind.Borough).ToDictionaryAsync(a => a.Name, a => a.Code!));
        var create = await Forms.PostAsync(analyst, "/peer-groups", "/peer-groups", new()
        {
            ["Group.Name"] = "West London",
            ["Group.Description"] = "Neighbours to the west",
            ["Group.Members[0]"] = codes["Kensington and Chelsea"],
            ["Group.Members[1]"] = codes["Hammersmith and Fulham"],
            ["Group.Members[2]"] = codes["Westminster"],
        });
        create.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var west = await WithDbAsync(db => db.PeerGroups.Include(g => g.Members).ThenInclude(m => m.Area).SingleAsync(g => g.Name == "West London"));
        west.Members.Select(m => m.Area!.Name).Should().BeEquivalentTo("Kensington and Chelsea", "Hammersmith and Fulham", "Westminster");
        west.IsDefault.Should().BeFalse();

        // Make it the default and drop Westminster: Inner London stops being the default.
        var edit = await Forms.PostAsync(analyst, $"/peer-groups/{west.Id}/edit", $"/peer-groups/{west.Id}/edit", new()
        {
            ["Group.Name"] = "West London",
            ["Group.IsDefault"] = "true",
            ["Group.Members[0]"] = codes["Kensington and Chelsea"],
            ["Group.Members[1]"] = codes["Hammersmith and Fulham"],
        });
        edit.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var groups = await WithDbAsync(db => db.PeerGroups.Include(g => g.Members).ThenInclude(m => m.Area).ToListAsync());
        groups.Single(g => g.Name == "West London").Members.Should().HaveCount(2);
        groups.Where(g => g.IsDefault).Select(g => g.Name).Should().Equal("West London");

        var delete = await Forms.PostAsync(analyst, $"/peer-groups/{west.Id}/edit", $"/peer-groups/{west.Id}/delete", new());
        delete.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await WithDbAsync(db => db.PeerGroups.AnyAsync(g => g.Id == west.Id))).Should().BeFalse();

        var audit = await WithDbAsync(db => db.AuditEntries.Where(a => a.Entity == nameof(PeerGroup)).OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => (a.Action, a.User)).Should().Equal(
            ("created", "analyst@kccsp.local"),
            ("updated", "analyst@kccsp.local"), // Inner London no longer the default
            ("updated", "analyst@kccsp.local"),
            ("deleted", "analyst@kccsp.local"));
        JsonDocument.Parse(audit[0].After!).RootElement.GetProperty("members").GetArrayLength().Should().Be(3);
        JsonDocument.Parse(audit[1].Before!).RootElement.GetProperty("isDefault").GetBoolean().Should().BeTrue();
        JsonDocument.Parse(audit[2].Before!).RootElement.GetProperty("members").GetArrayLength().Should().Be(3);
        JsonDocument.Parse(audit[2].After!).RootElement.GetProperty("members").GetArrayLength().Should().Be(2);
        audit[3].After.Should().BeNull();
    }

    [Theory]
    [InlineData("", "E09000020,E09000013", "Give the group a name.")]
    [InlineData("Lonely", "E09000020", "A peer group needs at least two boroughs.")]
    [InlineData("Odd", "E09000020,E99999999", "&#x27;E99999999&#x27; is not a London borough.")]
    [InlineData("inner london", "E09000020,E09000013", "There is already a peer group called &#x27;inner london&#x27;.")]
    public async Task Bad_groups_are_refused_with_a_message_and_nothing_saved(string name, string members, string message)
    {
        var fields = new Dictionary<string, string> { ["Group.Name"] = name };
        var list = members.Split(',');
        for (var i = 0; i < list.Length; i++) fields[$"Group.Members[{i}]"] = list[i];
        var response = await Forms.PostAsync(analyst, "/peer-groups", "/peer-groups", fields);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await WithDbAsync(db => db.PeerGroups.CountAsync())).Should().Be(1);
        (await WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Entity == nameof(PeerGroup)))).Should().Be(0);
    }

    [Fact]
    public async Task Board_members_cannot_edit_groups()
    {
        var board = await factory.SignedInClientAsync(Roles.Board, followRedirects: false);
        var response = await board.GetAsync("/peer-groups");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // The forms' own POSTs, with a valid anti-forgery token of the board member's session (from a page they may
        // see): refused, and nothing changes.
        var token = Forms.Token(await board.GetStringAsync("/"));
        var codes = await WithDbAsync(db => db.Areas.Where(a => a.Kind == AreaKind.Borough).ToDictionaryAsync(a => a.Name, a => a.Code!));
        var inner = await WithDbAsync(db => db.PeerGroups.SingleAsync(g => g.IsDefault));
        var before = await WithDbAsync(db => db.PeerGroups.Include(g => g.Members).OrderBy(g => g.Id)
            .Select(g => new { g.Id, g.Name, g.IsDefault, Members = g.Members.Count }).ToListAsync());
        var posts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/peer-groups", new() { ["Group.Name"] = "Board's group", ["Group.Members[0]"] = codes["Westminster"], ["Group.Members[1]"] = codes["Camden"] }),
            ($"/peer-groups/{inner.Id}/edit", new() { ["Group.Name"] = "Renamed by the board", ["Group.IsDefault"] = "true", ["Group.Members[0]"] = codes["Westminster"], ["Group.Members[1]"] = codes["Camden"] }),
            ($"/peer-groups/{inner.Id}/delete", new()),
        };
        foreach (var (path, fields) in posts)
        {
            fields["__RequestVerificationToken"] = token;
            var post = await board.PostAsync(path, new FormUrlEncodedContent(fields));
            post.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"POST {path}");
        }
        (await WithDbAsync(db => db.PeerGroups.Include(g => g.Members).OrderBy(g => g.Id)
            .Select(g => new { g.Id, g.Name, g.IsDefault, Members = g.Members.Count }).ToListAsync())).Should().BeEquivalentTo(before);
        (await WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Entity == nameof(PeerGroup)))).Should().Be(0);
    }

    [Fact]
    public async Task Position_in_the_group_by_rate_per_1000_with_the_groups_average()
    {
        // Figures and populations for the 13 boroughs: rates computed here, independently, then compared.
        var period = new Period(new YearMonth(2009, 4), new YearMonth(2010, 1));
        var counts = InnerLondon.Select((name, i) => (name, count: 1000m + 137m * ((i * 5) % 13), population: 150_000L + 10_000L * i)).ToList();
        await WithDbAsync(async db =>
        {
            var measure = await db.Measures.SingleAsync(m => m.Code == "residential-burglary");
            var areas = await db.Areas.ToDictionaryAsync(a => a.Name);
            foreach (var (name, count, population) in counts)
            {
                db.Figures.Add(new Figure { MeasureId = measure.Id, AreaId = areas[name].Id, From = period.From, To = period.To, Value = count, Source = FigureSource.Manual, SourceNote = "test", EnteredAt = DateTimeOffset.UtcNow });
                if (!await db.Populations.AnyAsync(p => p.AreaId == areas[name].Id && p.Year == 2009))
                    db.Populations.Add(new Population { AreaId = areas[name].Id, Year = 2009, Value = population, Source = "test" });
            }
            return await db.SaveChangesAsync();
        });

        var expectedRates = counts.ToDictionary(c => c.name, c => Math.Round(c.count * 1000m / c.population, 2, MidpointRounding.AwayFromZero));
        var kc = expectedRates["Kensington and Chelsea"];
        var expectedPosition = expectedRates.Values.Count(r => r < kc) + 1;
        var expectedAverage = Math.Round(expectedRates.Values.Average(), 2, MidpointRounding.AwayFromZero);

        async Task<JsonElement?> PeerGroupAsync()
        {
            var (exit, stdout, stderr) = await factory.RunCliAsync("measure", "residential-burglary", "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
            exit.Should().Be(0, stderr);
            var peer = JsonDocument.Parse(stdout).RootElement.GetProperty("peerGroup");
            return peer.ValueKind == JsonValueKind.Null ? null : peer.Clone();
        }

        var found = await PeerGroupAsync();
        found.Should().NotBeNull();
        var view = found!.Value;
        view.GetProperty("name").GetString().Should().Be("Inner London");
        view.GetProperty("size").GetInt32().Should().Be(13);
        view.GetProperty("position").GetInt32().Should().Be(expectedPosition);
        view.GetProperty("rank").GetString().Should().Be(expectedPosition <= 6 ? $"{LondonRank.Ordinal(expectedPosition)} lowest" : $"{LondonRank.Ordinal(14 - expectedPosition)} highest");
        view.GetProperty("average").GetDecimal().Should().Be(expectedAverage);
        var members = view.GetProperty("members").EnumerateArray().ToList();
        members.Should().HaveCount(13);
        foreach (var m in members) m.GetProperty("rate").GetDecimal().Should().Be(expectedRates[m.GetProperty("area").GetString()!], m.GetProperty("area").GetString());

        // The API's comparison carries the same record.
        var board = await factory.SignedInClientAsync(Roles.Board);
        var api = JsonDocument.Parse(await board.GetStringAsync("/api/measures/residential-burglary/comparison?area=Kensington%20and%20Chelsea&year=2009/10&toMonth=1")).RootElement;
        api.GetProperty("peerGroup").GetRawText().Should().Be(view.GetRawText());

        // A member without a population: no position rather than a position among some of the group.
        await WithDbAsync(db => db.Populations.Where(p => p.Area!.Name == "Camden").ExecuteDeleteAsync());
        (await PeerGroupAsync()).Should().BeNull();
    }
}
