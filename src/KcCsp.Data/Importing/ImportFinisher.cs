using System.Globalization;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KcCsp.Data.Importing;

/// <summary>
/// The end every import shares, whatever its source (an MPS extract, a police.uk file): inside the import's own
/// transaction, the area-months it is authoritative for, each category name's total, every measure of its source
/// recomputed, and its one audit entry.
/// </summary>
public sealed class ImportFinisher(KcCspDbContext db, IBulkWriter writer, MeasureValueRecomputer recomputer, People.UnitOfWork unit)
{
    /// <param name="coverage">The (area, month) pairs the import covers, in area then month order.</param>
    /// <param name="sums">The import's totals by area, month and category name, as its writer added them up.</param>
    public async Task<(int RevisionCount, List<Revision> Revisions, List<int> PreviousImports)> CoverAndRecomputeAsync(
        CrimeImport import, IEnumerable<ImportCoverage> coverage, IReadOnlyList<CountSum> sums, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        await writer.WriteAsync(connection, transaction, BulkTables.Coverage, coverage, ct);
        db.ImportAliases.AddRange(sums.GroupBy(s => s.AliasId).Select(g => new ImportAlias { ImportId = import.Id, AliasId = g.Key, Total = g.Sum(s => s.Total) }));
        await db.SaveChangesAsync(ct);
        return await recomputer.RecomputeAsync(import.Id, ct, new FreshCounts(import.Id, sums));
    }

    /// <summary>
    /// The import is an operation with one audit entry, written through the unit of work inside the import's own
    /// transaction (held for the import lock and the bulk copy), so it commits with the import itself: what arrived,
    /// and what it revised.
    /// </summary>
    public Task AuditAsync(string who, CrimeImport import, ImportReport report, CancellationToken ct) =>
        unit.RunAsync(who, _ =>
        {
            var revisions = report.Revisions;
            unit.Record("imported", nameof(CrimeImport), import.Id.ToString(CultureInfo.InvariantCulture),
                report.RevisionCount == 0 ? null : new { RevisedAreaMonths = revisions.Take(50).Select(r => new { r.Area, r.Month, Measures = r.Changes.Select(c => new { c.Measure, c.From }) }) },
                new { import.FileName, import.Sha256, import.Layout, import.Rows, import.CountsStored, FirstMonth = report.FirstMonth, LastMonth = report.LastMonth, report.Areas.Count,
                    RevisedAreaMonths = report.RevisionCount, Revisions = revisions.Take(50).Select(r => new { r.Area, r.Month, Measures = r.Changes.Select(c => new { c.Measure, c.To }) }) });
            return Task.CompletedTask;
        }, ct);
}
