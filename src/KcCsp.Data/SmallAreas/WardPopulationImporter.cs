using System.Globalization;
using KcCsp.Data.Importing;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace KcCsp.Data.SmallAreas;

/// <summary>
/// Loads ONS ward-level mid-year population estimates (a ward code column such as "Ward 2023 Code" or "WD22CD", and a
/// total such as "Total" or "All Ages"; thousands separators as published) for one year, which the file does not state:
/// every row is checked first (line and column named), nothing is written unless all are good, and the load is one
/// audited operation. Hotspots then give rates per 1,000 residents for the wards with an estimate.
/// </summary>
public sealed class WardPopulationImporter(KcCspDbContext db, People.UnitOfWork unit)
{
    public async Task<PopulationOutcome> ImportAsync(string path, int year, CancellationToken ct = default)
    {
        var file = Path.GetFileName(path);
        if (year is < 1990 or > 2100) return new PopulationOutcome(false, $"{year} is not a year of ward estimates.");
        var problems = new List<ImportProblem>();
        var rows = new Dictionary<string, (long Line, long Value)>();
        using (var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path))
        {
            var header = reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            var code = header.FindIndex(h => h is "wd22cd" or "wd23cd" or "wd21cd" or "wd11cd" || (h.Contains("ward") && h.Contains("code")));
            var total = header.FindIndex(h => h is "total" or "all ages" or "population" or "all_ages");
            if (code < 0 || total < 0)
                return new PopulationOutcome(false, $"{file}: line 1: expected a ward code column (e.g. 'Ward 2023 Code', 'WD22CD') and a total ('Total', 'All Ages'); found {string.Join(",", reader.Header.ColNames)}.");
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                if (row.ColCount <= Math.Max(code, total)) { problems.Add(new ImportProblem(line, null, null, "Too few columns.")); continue; }
                var c = row[code].ToString().Trim().ToUpperInvariant();
                if (SmallAreaCodes.Problem(SmallAreaKind.Ward, c) is { } bad) { problems.Add(new ImportProblem(line, code + 1, reader.Header.ColNames[code], bad)); continue; }
                if (!long.TryParse(row[total].Span.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) || value < 0)
                { problems.Add(new ImportProblem(line, total + 1, reader.Header.ColNames[total], $"'{ImportProblem.Shown(row[total].Span)}' is not a population.")); continue; }
                if (!rows.TryAdd(c, (line, value)))
                    problems.Add(new ImportProblem(line, code + 1, reader.Header.ColNames[code], $"{c} has a second row (the first is line {rows[c].Line})."));
            }
        }
        if (problems.Count > 0)
            return new PopulationOutcome(false, $"{file} was not loaded: {problems.Count} problems. Nothing was written.", Problems: problems.Take(CrimeImporter.ProblemCap).ToList());
        if (rows.Count == 0) return new PopulationOutcome(false, $"{file} has no ward rows.");

        int added = 0, updated = 0;
        await unit.RunAsync(null, async ct =>
        {
            var existing = await db.SmallAreaPopulations.Where(p => p.Year == year).ToDictionaryAsync(p => p.Code, ct);
            foreach (var (c, (_, value)) in rows)
            {
                if (existing.TryGetValue(c, out var p))
                {
                    if (p.Value != value || p.Source != file) { p.Value = value; p.Source = file; updated++; }
                    continue;
                }
                db.SmallAreaPopulations.Add(new SmallAreaPopulation { Code = c, Year = year, Value = value, Source = file });
                added++;
            }
            unit.Record("loaded", nameof(SmallAreaPopulation), file, null, new { File = file, Year = year, Added = added, Updated = updated, Wards = rows.Count });
        }, ct);
        return new PopulationOutcome(true, $"Ward populations for mid-{year} loaded from {file}: {added} added, {updated} updated ({rows.Count} wards).", added, updated);
    }
}
