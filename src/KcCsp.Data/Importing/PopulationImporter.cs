using System.Globalization;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing;

public sealed record PopulationOutcome(bool Done, string Message, int Added = 0, int Updated = 0, List<ImportProblem>? Problems = null);

/// <summary>
/// Loads the London Datastore's borough population table (Code,Name,Year,Source,Population,…) into Population:
/// borough rows only (codes starting E09); London, Inner and Outer London are not boroughs. Rates per 1,000 and the
/// London rank use these.
/// </summary>
public sealed class PopulationImporter(KcCspDbContext db, ILogger<PopulationImporter> logger, People.UnitOfWork unit)
{
    public async Task<PopulationOutcome> ImportAsync(string path, CancellationToken ct = default)
    {
        var problems = new List<ImportProblem>();
        var rows = new List<(long Line, string Code, int Year, string Source, long Population)>();
        using (var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path))
        {
            var header = reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            int Col(string name) => header.IndexOf(name);
            var (code, year, source, population) = (Col("code"), Col("year"), Col("source"), Col("population"));
            if (code < 0 || year < 0 || population < 0)
                return new PopulationOutcome(false, $"{Path.GetFileName(path)}: line 1: expected columns Code, Year, Source and Population; found {string.Join(",", reader.Header.ColNames)}.");
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                if (row.ColCount <= Math.Max(code, Math.Max(year, population))) { problems.Add(new ImportProblem(line, null, null, "Too few columns.")); continue; }
                var c = row[code].ToString().Trim();
                if (!c.StartsWith("E09", StringComparison.OrdinalIgnoreCase)) continue;
                if (!int.TryParse(row[year].Span.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1900 or > 2200)
                { problems.Add(new ImportProblem(line, year + 1, "Year", $"'{row[year]}' is not a year.")); continue; }
                if (!long.TryParse(row[population].Span.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var p) || p < 0)
                { problems.Add(new ImportProblem(line, population + 1, "Population", $"'{row[population]}' is not a population.")); continue; }
                rows.Add((line, c.ToUpperInvariant(), y, source >= 0 ? row[source].ToString().Trim() : "", p));
            }
        }
        var areas = await db.Areas.Where(a => a.Code != null).ToDictionaryAsync(a => a.Code!.ToUpper(), ct);
        foreach (var r in rows.Where(r => !areas.ContainsKey(r.Code)))
            problems.Add(new ImportProblem(r.Line, 1, "Code", $"{r.Code} is not the code of a known borough."));
        if (problems.Count > 0)
            return new PopulationOutcome(false, $"{Path.GetFileName(path)} was not loaded: {problems.Count} problems. Nothing was written.", Problems: problems.Take(CrimeImporter.ProblemCap).ToList());
        if (rows.Count == 0)
            return new PopulationOutcome(false, $"{Path.GetFileName(path)} has no borough rows (codes starting E09).");

        int added = 0, updated = 0;
        await unit.RunAsync(null, async ct =>
        {
            var existing = await db.Populations.ToDictionaryAsync(p => (p.AreaId, p.Year), ct);
            foreach (var r in rows)
            {
                var areaId = areas[r.Code].Id;
                var source = string.IsNullOrEmpty(r.Source) ? Path.GetFileName(path) : r.Source;
                if (existing.TryGetValue((areaId, r.Year), out var p))
                {
                    if (p.Value != r.Population || p.Source != source) { p.Value = r.Population; p.Source = source; updated++; }
                }
                else
                {
                    p = new Population { AreaId = areaId, Year = r.Year, Value = r.Population, Source = source };
                    db.Populations.Add(p);
                    existing[(areaId, r.Year)] = p;
                    added++;
                }
            }
            // One entry for the load, an operation, with the change in the same transaction: which file, what it added and changed.
            unit.Record("loaded", nameof(Population), Path.GetFileName(path), null,
                new { File = Path.GetFileName(path), Added = added, Updated = updated, Boroughs = rows.Select(r => r.Code).Distinct().Count(), FirstYear = rows.Min(r => r.Year), LastYear = rows.Max(r => r.Year) });
        }, ct);
        logger.LogInformation("Populations loaded from {File}: {Added} added, {Updated} updated", path, added, updated);
        return new PopulationOutcome(true, $"Populations loaded from {Path.GetFileName(path)}: {added} added, {updated} updated ({rows.Select(r => r.Code).Distinct().Count()} boroughs, {rows.Min(r => r.Year)}–{rows.Max(r => r.Year)}).", added, updated);
    }
}
