using System.Globalization;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing;

public sealed record PopulationOutcome(bool Done, string Message, int Added = 0, int Updated = 0, List<ImportProblem>? Problems = null);

/// <summary>
/// Loads a population table with the columns Code, Year, Population (and Source), such as the London Datastore's
/// borough table (Code,Name,Year,Source,Population,…), into Population: local authority rows only — London boroughs
/// (codes starting E09) and, outside London, the local authorities the portal knows (E06, E07, E08, W06: those plans
/// and police.uk imports have added); regions and countries are not local authorities. Rates per 1,000 and the ranks use these.
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
                if (!IsLocalAuthority(c)) continue;
                if (!int.TryParse(row[year].Span.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1900 or > 2200)
                { problems.Add(new ImportProblem(line, year + 1, "Year", $"'{row[year]}' is not a year.")); continue; }
                if (!long.TryParse(row[population].Span.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var p) || p < 0)
                { problems.Add(new ImportProblem(line, population + 1, "Population", $"'{row[population]}' is not a population.")); continue; }
                rows.Add((line, c.ToUpperInvariant(), y, source >= 0 ? row[source].ToString().Trim() : "", p));
            }
        }
        var areas = await db.Areas.Where(a => a.Code != null).ToDictionaryAsync(a => a.Code!.ToUpper(), ct);
        // Every London borough is known: an unknown E09 code is a mistake. A national table lists every local
        // authority in England and Wales; those the portal has no plan or data for are passed over.
        foreach (var r in rows.Where(r => !areas.ContainsKey(r.Code) && r.Code.StartsWith("E09", StringComparison.Ordinal)))
            problems.Add(new ImportProblem(r.Line, 1, "Code", $"{r.Code} is not the code of a known borough."));
        var passedOver = rows.Where(r => !areas.ContainsKey(r.Code)).Select(r => r.Code).Distinct().Count();
        rows.RemoveAll(r => !areas.ContainsKey(r.Code));
        if (problems.Count > 0)
            return new PopulationOutcome(false, $"{Path.GetFileName(path)} was not loaded: {problems.Count} problems. Nothing was written.", Problems: problems.Take(CrimeImporter.ProblemCap).ToList());
        if (rows.Count == 0)
            return new PopulationOutcome(false, $"{Path.GetFileName(path)} has no rows of a local authority the portal knows (codes starting E09, or the E06/E07/E08/W06 codes of plans' and police.uk imports' areas).");

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
        return new PopulationOutcome(true, $"Populations loaded from {Path.GetFileName(path)}: {added} added, {updated} updated ({rows.Select(r => r.Code).Distinct().Count()} boroughs, {rows.Min(r => r.Year)}–{rows.Max(r => r.Year)})."
            + (passedOver > 0 ? $" {passedOver} local authorities the portal has no area for were passed over: import the plans or police.uk files that cover them first, then load this file again." : ""), added, updated);
    }

    /// <summary>A local authority's ONS code: London borough, unitary, non-metropolitan district, metropolitan district, Welsh unitary.</summary>
    private static bool IsLocalAuthority(string code) =>
        code.Length == 9 && (code.StartsWith("E09", StringComparison.OrdinalIgnoreCase) || code.StartsWith("E06", StringComparison.OrdinalIgnoreCase)
            || code.StartsWith("E07", StringComparison.OrdinalIgnoreCase) || code.StartsWith("E08", StringComparison.OrdinalIgnoreCase)
            || code.StartsWith("W06", StringComparison.OrdinalIgnoreCase));
}
