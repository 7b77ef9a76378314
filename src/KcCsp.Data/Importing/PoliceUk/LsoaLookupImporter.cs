using System.Text.RegularExpressions;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;

namespace KcCsp.Data.Importing.PoliceUk;

public sealed record LsoaLookupOutcome(bool Done, string Message, int Added = 0, int Updated = 0, List<ImportProblem>? Problems = null);

/// <summary>
/// Loads an ONS LSOA → local authority district lookup (the ONS Open Geography Portal's CSVs: an LSOA code column such
/// as <c>LSOA11CD</c>/<c>LSOA21CD</c>, its name <c>LSOA11NM</c>, and the district's <c>LAD19CD</c>/<c>LAD22CD</c> or
/// <c>ladcd</c> and name). police.uk imports then place an LSOA in the district the lookup gives (and name the district
/// by its ONS code), and say so; LSOAs it lacks are placed by their name's prefix. A code already loaded takes the
/// newer file's district. All or nothing, audited as one operation.
/// </summary>
public sealed partial class LsoaLookupImporter(KcCspDbContext db, People.UnitOfWork unit, ILogger<LsoaLookupImporter> logger)
{
    [GeneratedRegex(@"^lsoa\d{0,2}\s?(cd|code)$", RegexOptions.IgnoreCase)] private static partial Regex LsoaCode();
    [GeneratedRegex(@"^lsoa\d{0,2}\s?(nm|name)$", RegexOptions.IgnoreCase)] private static partial Regex LsoaName();
    [GeneratedRegex(@"^(lad|ltla)\d{0,2}\s?(cd|code)$", RegexOptions.IgnoreCase)] private static partial Regex LadCode();
    [GeneratedRegex(@"^(lad|ltla)\d{0,2}\s?(nm|name)$", RegexOptions.IgnoreCase)] private static partial Regex LadName();
    [GeneratedRegex(@"^[EW]0[6-9]\d{6}$")] private static partial Regex DistrictCode();

    public async Task<LsoaLookupOutcome> ImportAsync(string path, string who, CancellationToken ct = default)
    {
        var file = Path.GetFileName(path);
        var problems = new List<ImportProblem>();
        var rows = new Dictionary<string, (long Line, LsoaLookup Row)>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path))
        {
            var header = reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF')).ToList();
            int Col(Regex r) => header.FindIndex(r.IsMatch);
            var (lsoa, lsoaName, lad, ladName) = (Col(LsoaCode()), Col(LsoaName()), Col(LadCode()), Col(LadName()));
            if (lsoa < 0 || lad < 0 || ladName < 0)
                return new LsoaLookupOutcome(false, $"{file}: line 1: this is not an ONS LSOA lookup: expected an LSOA code column (LSOA11CD, LSOA21CD), a local authority district code (LAD19CD, LAD22CD, ladcd) and its name (LAD19NM, ladnm); found '{ImportProblem.Shown(string.Join(",", header), 120)}'.");
            var width = new[] { lsoa, lsoaName, lad, ladName }.Max() + 1;
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                if (row.ColCount < width) { problems.Add(new ImportProblem(line, null, null, $"The row has {row.ColCount} values; at least {width} are needed.")); continue; }
                var code = row[lsoa].ToString().Trim();
                var district = row[lad].ToString().Trim().ToUpperInvariant();
                var name = row[ladName].ToString().Trim();
                if (SmallAreaCodes.Problem(SmallAreaKind.Lsoa, code) is { } bad) { problems.Add(new ImportProblem(line, lsoa + 1, header[lsoa], bad)); continue; }
                if (!DistrictCode().IsMatch(district)) { problems.Add(new ImportProblem(line, lad + 1, header[lad], $"'{ImportProblem.Shown(district)}' is not a local authority district code (E06, E07, E08, E09 or W06 and six digits).")); continue; }
                if (name.Length is 0 or > 100) { problems.Add(new ImportProblem(line, ladName + 1, header[ladName], name.Length == 0 ? "The district's name is empty." : "The district's name is longer than 100 characters.")); continue; }
                var entry = new LsoaLookup { LsoaCode = code.ToUpperInvariant(), LsoaName = lsoaName >= 0 ? row[lsoaName].ToString().Trim() : "", LadCode = district, LadName = name };
                if (rows.TryGetValue(entry.LsoaCode, out var earlier))
                {
                    if (earlier.Row.LadCode != entry.LadCode)
                        problems.Add(new ImportProblem(line, lsoa + 1, header[lsoa], $"The LSOA {entry.LsoaCode} is in {earlier.Row.LadName} on line {earlier.Line} and in {entry.LadName} here."));
                    continue;
                }
                rows[entry.LsoaCode] = (line, entry);
            }
        }
        if (problems.Count > 0)
            return new LsoaLookupOutcome(false, $"{file} was not loaded: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}. Nothing was written.", Problems: problems.Take(CrimeImporter.ProblemCap).ToList());
        if (rows.Count == 0) return new LsoaLookupOutcome(false, $"{file} has no rows.");

        int added = 0, updated = 0;
        await unit.RunAsync(who, async ct =>
        {
            var existing = await db.LsoaLookups.ToDictionaryAsync(l => l.LsoaCode, StringComparer.OrdinalIgnoreCase, ct);
            foreach (var (_, r) in rows.Values)
            {
                if (existing.TryGetValue(r.LsoaCode, out var e))
                {
                    if (e.LadCode == r.LadCode && e.LadName == r.LadName && e.LsoaName == r.LsoaName) continue;
                    (e.LadCode, e.LadName, e.LsoaName) = (r.LadCode, r.LadName, r.LsoaName);
                    updated++;
                }
                else
                {
                    db.LsoaLookups.Add(r);
                    added++;
                }
            }
            unit.Record("loaded", nameof(LsoaLookup), file, null,
                new { File = file, Added = added, Updated = updated, Districts = rows.Values.Select(r => r.Row.LadCode).Distinct().Count() });
        }, ct);
        var districts = rows.Values.Select(r => r.Row.LadCode).Distinct().Count();
        logger.LogInformation("LSOA lookup loaded from {File}: {Added} added, {Updated} updated, {Districts} districts", file, added, updated, districts);
        return new LsoaLookupOutcome(true, $"LSOA lookup loaded from {file}: {added:N0} LSOAs added, {updated:N0} updated ({districts} local authority districts).", added, updated);
    }
}
