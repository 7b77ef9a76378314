using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Importing;

/// <summary>The key import acceptance on PostgreSQL (binary COPY, advisory lock, the same derived values).</summary>
public sealed class ImportPostgresTests
{
    [Fact]
    public async Task Historic_then_newer_file_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var historicPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv");
        var newerPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        var historic = ExtractFile.ReadWide(historicPath);
        var newer = ExtractFile.ReadWide(newerPath);

        var first = await ImportTests.ImportAsync(factory, historicPath);
        first.GetProperty("report").GetProperty("countsStored").GetInt64().Should().Be(historic.Counts.Count(c => c.Value != 0));
        var sac = await ImportTests.MeasureAsync(factory, "serious-acquisitive-crime");
        string[] parts = ["Burglary in a Dwelling", "Theft From Motor Vehicle", "Theft/Taking Of Motor Vehicle", "Personal Property", "Business Property"];
        sac.GetProperty("value").GetDecimal().Should().Be(historic.Sum("Kensington and Chelsea", (_, minor) => parts.Contains(minor), 200904, 201001));
        sac.GetProperty("source").GetString().Should().Be("imported");

        await ImportTests.ImportAsync(factory, newerPath);
        await ImportTests.ImportAsync(factory, newerPath, "already-imported");
        var tno = await ImportTests.MeasureAsync(factory, "total-notifiable-offences", year: "2011/12", toMonth: 3);
        tno.GetProperty("value").GetDecimal().Should().Be(newer.Sum("Kensington and Chelsea", (_, _) => true, 201104, 201203));
    }

    /// <summary>
    /// The paths that read stored counts back by import (a rollback, a changed mapping), on PostgreSQL, where counts
    /// have no key and the import index is BRIN: the figures come back exactly from each file's own rows.
    /// </summary>
    [Fact]
    public async Task Rolling_back_and_remapping_read_the_stored_counts_back_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var historicPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv");
        var newerPath = TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv");
        var historic = ExtractFile.ReadWide(historicPath);
        var newer = ExtractFile.ReadWide(newerPath);
        const string Barking = "Barking and Dagenham";
        // April-November 2011, where the newer release restated the older one (so the check can tell them apart).
        var (historicTno, newerTno) = (historic.Sum(Barking, (_, _) => true, 201104, 201111), newer.Sum(Barking, (_, _) => true, 201104, 201111));
        historicTno.Should().NotBe(newerTno);

        var first = await ImportTests.ImportAsync(factory, historicPath);
        var second = await ImportTests.ImportAsync(factory, newerPath);
        async Task<JsonElement> Tno() => (await ImportTests.MeasureAsync(factory, "total-notifiable-offences", year: "2011/12", toMonth: 11, area: Barking)).GetProperty("value");
        (await Tno()).GetDecimal().Should().Be(newerTno);

        using (var scope = factory.Services.CreateScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<ImportHistory>().RollBackAsync(second.GetProperty("importId").GetInt32(), "test");
            outcome.Done.Should().BeTrue(outcome.Message);
        }
        (await Tno()).GetDecimal().Should().Be(historicTno, "the older import's counts are read back for the area-months it covers again");

        // Unmapping the older file's residential-burglary name and mapping it back recomputes from its stored counts.
        var burglary = historic.Sum(ImportTests.KandC, (_, minor) => minor == "Burglary in a Dwelling", 200904, 201001);
        (await ImportTests.MeasureAsync(factory, "residential-burglary")).GetProperty("value").GetDecimal().Should().Be(burglary);
        int aliasId, categoryId;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
            var importId = first.GetProperty("importId").GetInt32();
            var alias = await (from ia in db.ImportAliases join a in db.CategoryAliases on ia.AliasId equals a.Id
                               where ia.ImportId == importId && a.MinorName == "Burglary in a Dwelling" select a).SingleAsync();
            (aliasId, categoryId) = (alias.Id, alias.CategoryId!.Value);
            await scope.ServiceProvider.GetRequiredService<CategoryMapping>().MapAsync(aliasId, null, "test");
        }
        (await ImportTests.MeasureAsync(factory, "residential-burglary")).GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CategoryMapping>().MapAsync(aliasId, categoryId, "test");
        (await ImportTests.MeasureAsync(factory, "residential-burglary")).GetProperty("value").GetDecimal().Should().Be(burglary);
    }
}
