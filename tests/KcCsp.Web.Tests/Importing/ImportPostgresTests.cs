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
}
