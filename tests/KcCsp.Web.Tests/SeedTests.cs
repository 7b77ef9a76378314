using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Seed;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

public sealed class SeedTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync()
    {
        _ = factory.Server; // starts the host, which migrates and seeds
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> WithDb<T>(Func<KcCspDbContext, Task<T>> query)
    {
        using var scope = factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    [Fact]
    public async Task Seeds_the_whole_plan()
    {
        (await WithDb(db => db.Priorities.CountAsync())).Should().Be(7);
        (await WithDb(db => db.Actions.CountAsync())).Should().Be(42);
        (await WithDb(db => db.Targets.CountAsync())).Should().Be(17);
        (await WithDb(db => db.Areas.CountAsync(a => a.InLondonRanking))).Should().Be(32);
        var codes = await WithDb(db => db.Measures.Select(m => m.Code).ToListAsync());
        codes.Should().Contain(["serious-acquisitive-crime", "residential-burglary", "theft-from-motor-vehicle", "theft-taking-of-motor-vehicle",
            "personal-robbery", "business-robbery", "robbery", "drugs-offences", "domestic-violence", "youth-crime", "most-serious-violence",
            "street-drinking", "begging-vagrancy", "terrorist-incident", "total-notifiable-offences", "gun-crime", "knife-crime",
            "serious-youth-violence", "violence-with-injury", "pas-q74-dealing-with-issues", "asb-high-worry", "uss-apacs-satisfaction",
            "serious-violent-crime-rate", "serious-acquisitive-crime-rate", "perceptions-of-asb", "first-time-entrants"]);

        // Section 2: both years for every row, sixteen published figures in all.
        var published = await WithDb(db => db.Figures.Include(f => f.Measure).Where(f => f.Source == FigureSource.Published).ToListAsync());
        published.Should().HaveCount(16);
        var dv = published.Single(f => f.Measure!.Code == "domestic-violence" && f.From == new YearMonth(2009, 4));
        dv.Value.Should().Be(652);
        dv.To.Should().Be(new YearMonth(2010, 1));
        dv.PublishedLondonRank.Should().Be(3);
        dv.PublishedStatus.Should().Be(TargetStatus.NotMet);

        var ceiling = await WithDb(db => db.Targets.Include(t => t.Measure).SingleAsync(t => t.Measure!.Code == "most-serious-violence"));
        ceiling.Form.Should().Be(TargetForm.CeilingOnGrowth);
        ceiling.Value.Should().Be(1);
        ceiling.FinancialYear.Should().Be(new FinancialYear(2010));
    }

    [Fact]
    public async Task Seeding_again_adds_nothing()
    {
        var before = await WithDb(async db => (await db.Figures.CountAsync(), await db.Actions.CountAsync(), await db.Areas.CountAsync(), await db.Measures.CountAsync()));
        await WithDb(async db =>
        {
            using var scope = factory.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<PlanSeeder>().SeedAsync();
            return 0;
        });
        var after = await WithDb(async db => (await db.Figures.CountAsync(), await db.Actions.CountAsync(), await db.Areas.CountAsync(), await db.Measures.CountAsync()));
        after.Should().Be(before);
    }

    [Theory]
    [InlineData("✓", TargetStatus.Met)]
    [InlineData("×", TargetStatus.NotMet)]
    [InlineData("None", TargetStatus.NoTarget)]
    [InlineData("N/A", TargetStatus.NoTarget)]
    [InlineData("-", TargetStatus.NoTarget)]
    public void Meeting_target_column_is_read_as_the_plan_prints_it(string printed, TargetStatus expected) =>
        PlanSeeder.ParseMeetingTarget(printed).Should().Be(expected);
}
