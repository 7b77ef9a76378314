using KcCsp.Data;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// The bulk writers write columns by name, outside EF Core: each provider's tables, as its migrations make them, must
/// have every column a bulk table names, with a store type its values fit, and every column it leaves out must fill
/// itself (identity, default or nullable). Checked from each provider's model, so SQL Server's SqlBulkCopy path is held
/// to the same contract as SQLite's and PostgreSQL's, which the import tests also run end to end.
/// </summary>
public sealed class BulkTableContractTests
{
    public static TheoryData<DatabaseProvider, string> Providers => MigrationsTests.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_bulk_table_matches_the_providers_table(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<KcCspDbContext>();
        DatabaseSetup.Configure(options, provider, connectionString);
        using var db = new KcCspDbContext(options.Options);
        var model = db.GetService<IDesignTimeModel>().Model;

        Check(model, typeof(CrimeCount), BulkTables.Counts.Name, BulkTables.Counts.Columns.Select(c => (c.Name, c.IsText)), provider);
        Check(model, typeof(ImportCoverage), BulkTables.Coverage.Name, BulkTables.Coverage.Columns.Select(c => (c.Name, c.IsText)), provider);
        Check(model, typeof(MeasureMonthValue), BulkTables.MeasureValues.Name, BulkTables.MeasureValues.Columns.Select(c => (c.Name, c.IsText)), provider);
        Check(model, typeof(SmallArea), BulkTables.SmallAreas.Name, BulkTables.SmallAreas.Columns.Select(c => (c.Name, c.IsText)), provider);
        BulkTables.For(provider).Should().NotBeNull();
    }

    private static void Check(IModel model, Type entity, string table, IEnumerable<(string Name, bool IsText)> written, DatabaseProvider provider)
    {
        var type = model.FindEntityType(entity)!;
        type.GetTableName().Should().Be(table, $"{provider}: the bulk table names {entity.Name}'s table");
        var store = StoreObjectIdentifier.Table(table, type.GetSchema());
        var columns = type.GetProperties().ToDictionary(p => p.GetColumnName(store)!, p => p);
        var writtenNames = new HashSet<string>();
        foreach (var (name, isText) in written)
        {
            writtenNames.Add(name);
            columns.Should().ContainKey(name, $"{provider}: {table} must have the column the bulk writer fills");
            var storeType = columns[name].GetColumnType(store).ToLowerInvariant();
            if (isText) storeType.Should().MatchRegex("char|text", $"{provider}: {table}.{name} takes text");
            else storeType.Should().MatchRegex("int|numeric|decimal", $"{provider}: {table}.{name} takes whole numbers");
        }
        foreach (var (name, property) in columns.Where(c => !writtenNames.Contains(c.Key)))
        {
            var fillsItself = property.IsNullable || property.ValueGenerated != ValueGenerated.Never
                || property.GetDefaultValueSql(store) is not null || property.GetDefaultValue(store) is not null;
            fillsItself.Should().BeTrue($"{provider}: {table}.{name} is not written in bulk, so it must be an identity, have a default or allow null");
        }
    }
}
