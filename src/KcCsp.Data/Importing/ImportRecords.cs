using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Importing;

public sealed record ImportRow(int Id, string FileName, DateTimeOffset ImportedAt, string ImportedBy, string Trigger, string Months, int Areas, long Counts, string Status, int Revisions, int Unmapped);

public sealed record NightlyRunRow(int Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool Succeeded, IReadOnlyList<string> Log);

public sealed record ImportsViewModel(IReadOnlyList<ImportRow> Imports, IReadOnlyList<NightlyRunRow> NightlyRuns, ImportOutcome? Outcome = null, string? Notice = null);

public sealed record ImportDetailsViewModel(ImportRow Import, string Sha256, string Layout, long Rows, ImportReport? Report, string? Notice);

public sealed record AliasRow(int Id, string Major, string Minor, int? CategoryId, string? MappedBy, DateTimeOffset? MappedAt);

public sealed record CategoriesViewModel(IReadOnlyList<AliasRow> Aliases, IReadOnlyList<CrimeCategory> Categories, IReadOnlyDictionary<int, IReadOnlyList<string>> MeasuresByCategory, string? Notice,
    IReadOnlyDictionary<int, IReadOnlyList<CategorySuggestion>> Suggestions, IReadOnlyList<ImportedNames> NamesAddedTogether);

/// <summary>An applied import that published one category under several names (see <see cref="ImportReport.NamesAddedTogether"/>).</summary>
public sealed record ImportedNames(int ImportId, string FileName, NamesAddedTogether Names);

/// <summary>What the analysts' import pages show: imports and nightly runs, one import's report, category names and their mappings.</summary>
public sealed class ImportRecords(KcCspDbContext db)
{
    /// <summary>How many unmapped names the Categories page suggests categories for.</summary>
    public const int SuggestionsShown = 100;

    public async Task<CategoriesViewModel> CategoriesAsync(string? notice, CancellationToken ct)
    {
        var aliases = await db.CategoryAliases.AsNoTracking().OrderBy(a => a.CategoryId != null).ThenBy(a => a.MajorName).ThenBy(a => a.MinorName)
            .Select(a => new AliasRow(a.Id, a.MajorName, a.MinorName, a.CategoryId, a.MappedBy, a.MappedAt)).ToListAsync(ct);
        var categories = await db.CrimeCategories.AsNoTracking().OrderBy(c => c.MajorGroup).ThenBy(c => c.Name).ToListAsync(ct);
        var measures = await (from mc in db.MeasureCategories join m in db.Measures on mc.MeasureId equals m.Id select new { mc.CategoryId, m.Name }).ToListAsync(ct);
        // The closest categories for each unmapped name (the first hundred: a page, not a batch job).
        var mapped = aliases.Where(a => a.CategoryId is not null).Select(a => (a.Major, a.Minor, a.CategoryId!.Value));
        var suggestions = new CategorySuggestions(categories, mapped);
        var suggested = aliases.Where(a => a.CategoryId is null).Take(SuggestionsShown)
            .ToDictionary(a => a.Id, a => suggestions.For(a.Major, a.Minor));
        return new CategoriesViewModel(aliases, categories,
            measures.GroupBy(m => m.CategoryId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.Name).Order().ToList()), notice, suggested,
            await NamesAddedTogetherAsync(ct));
    }

    /// <summary>Applied imports whose report lists names added together, newest first: only those reports are read.</summary>
    private async Task<IReadOnlyList<ImportedNames>> NamesAddedTogetherAsync(CancellationToken ct)
    {
        const string listed = "\"namesAddedTogether\": [", empty = "\"namesAddedTogether\": []";
        var imports = await db.CrimeImports.AsNoTracking()
            .Where(i => i.Status == ImportStatus.Applied && i.ReportJson.Contains(listed) && !i.ReportJson.Contains(empty))
            .OrderByDescending(i => i.Id).Select(i => new { i.Id, i.FileName, i.ReportJson }).ToListAsync(ct);
        return imports.SelectMany(i => (ImportReport.FromJson(i.ReportJson)?.NamesAddedTogether ?? []).Select(n => new ImportedNames(i.Id, i.FileName, n))).ToList();
    }

    /// <summary>What an analyst types or picks on the Categories page to take a name out of every measure.</summary>
    public const string NotMapped = "(not mapped)";

    /// <summary>
    /// The category an analyst typed or picked on the Categories page: its code, its name, or "group: name" as the list
    /// shows it (case and spacing ignored); <see cref="NotMapped"/> for none. Found is false when nothing matches.
    /// </summary>
    public async Task<(bool Found, int? CategoryId)> FindCategoryAsync(string text, CancellationToken ct)
    {
        var key = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (key.Equals(NotMapped, StringComparison.OrdinalIgnoreCase)) return (true, null);
        var categories = await db.CrimeCategories.AsNoTracking().Select(c => new { c.Id, c.Code, c.Name, c.MajorGroup }).ToListAsync(ct);
        var match = categories.FirstOrDefault(c => c.Code.Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? categories.FirstOrDefault(c => $"{c.MajorGroup}: {c.Name}".Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? (categories.Count(c => c.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) == 1 ? categories.Single(c => c.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) : null);
        return match is null ? (false, null) : (true, match.Id);
    }

    public async Task<ImportsViewModel> IndexAsync(ImportOutcome? outcome = null, string? notice = null, CancellationToken ct = default)
    {
        var imports = await db.CrimeImports.AsNoTracking().OrderByDescending(i => i.Id).Take(200).ToListAsync(ct);
        var runs = await db.NightlyImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(20).ToListAsync(ct);
        return new ImportsViewModel(imports.Select(Row).ToList(),
            runs.Select(r => new NightlyRunRow(r.Id, r.StartedAt, r.FinishedAt, r.Succeeded, r.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries))).ToList(),
            outcome, notice);
    }

    private static ImportRow Row(CrimeImport i)
    {
        var report = ImportReport.FromJson(i.ReportJson);
        return new ImportRow(i.Id, i.FileName, i.ImportedAt, i.ImportedBy, i.Trigger.ToString(), $"{i.FirstMonth} to {i.LastMonth} ({i.MonthCount})",
            i.AreaCount, i.CountsStored, i.Status == ImportStatus.Applied ? "applied" : $"rolled back {i.RolledBackAt:yyyy-MM-dd HH:mm} by {i.RolledBackBy}",
            report?.RevisionCount ?? 0, report?.UnmappedCategories.Count ?? 0);
    }

    public async Task<ImportDetailsViewModel?> DetailsAsync(int id, string? notice, CancellationToken ct)
    {
        var i = await db.CrimeImports.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return i is null ? null : new ImportDetailsViewModel(Row(i), i.Sha256, i.Layout, i.Rows, ImportReport.FromJson(i.ReportJson), notice);
    }

    /// <summary>For the banner every page shows while some imported category names are unmapped.</summary>
    public async Task<IReadOnlyList<string>> UnmappedNamesAsync(CancellationToken ct)
    {
        var applied = db.CrimeImports.Where(i => i.Status == ImportStatus.Applied).Select(i => i.Id);
        var used = db.ImportAliases.Where(t => t.Total != 0 && applied.Contains(t.ImportId)).Select(t => t.AliasId);
        return await db.CategoryAliases.AsNoTracking().Where(a => a.CategoryId == null && used.Contains(a.Id))
            .OrderBy(a => a.MajorName).ThenBy(a => a.MinorName).Select(a => a.MajorName + " / " + a.MinorName).ToListAsync(ct);
    }
}
