using KcCsp.Data.Model;
using KcCsp.Data.Importing;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Features.Importing;

/// <summary>The analysts' import pages: uploads, history, rollback, category mapping, populations.</summary>
/// <remarks>HTTP plumbing only (uploaded files to temporary files); what the pages show is read by <see cref="ImportRecords"/>.</remarks>
public sealed class ImportPages(ImportRecords records, CrimeImporter importer, ImportHistory history, CategoryMapping mapping, PopulationImporter populations)
{
    /// <summary>Large enough for a 3.8-million-row LSOA extract as CSV.</summary>
    public const long MaxUploadBytes = 1L << 30;

    /// <summary>Saves the upload to a temporary file (memory stays flat whatever its size), then imports it.</summary>
    public async Task<ImportOutcome> UploadAsync(IFormFile? file, string who, CancellationToken ct)
    {
        if (file is null)
            return new ImportOutcome(ImportOutcomeKind.Invalid, "Choose a CSV or Excel file to upload.",
                Validation: new ValidationReport("(no file)", 1, [new ImportProblem(0, null, null, "No file was uploaded.")]));
        var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
        if (string.IsNullOrWhiteSpace(name)) name = "upload.csv";
        if (file.Length == 0)
            return new ImportOutcome(ImportOutcomeKind.Invalid, $"{name} was not imported: 1 problem found. Nothing was written.",
                Validation: new ValidationReport(name, 1, [new ImportProblem(1, null, null, "The file is empty: there is no header line.")]));
        var temp = Path.Combine(Path.GetTempPath(), $"kccsp-upload-{Guid.NewGuid():N}");
        try
        {
            await using (var target = File.Create(temp)) await file.CopyToAsync(target, ct);
            return await importer.ImportAsync(temp, name, who, ImportTrigger.Upload, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<ImportsViewModel> IndexAsync(ImportOutcome? outcome = null, string? notice = null, CancellationToken ct = default) => records.IndexAsync(outcome, notice, ct);

    public Task<ImportDetailsViewModel?> DetailsAsync(int id, string? notice, CancellationToken ct) => records.DetailsAsync(id, notice, ct);

    public Task<CategoriesViewModel> CategoriesAsync(string? notice, CancellationToken ct) => records.CategoriesAsync(notice, ct);

    public Task<IReadOnlyList<string>> UnmappedNamesAsync(CancellationToken ct) => records.UnmappedNamesAsync(ct);

    public Task<RollbackOutcome> RollBackAsync(int id, string who, CancellationToken ct) => history.RollBackAsync(id, who, ct);

    public async Task<PopulationOutcome> UploadPopulationAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return new PopulationOutcome(false, "Choose the population CSV to upload.");
        var temp = Path.Combine(Path.GetTempPath(), $"kccsp-population-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var target = File.Create(temp)) await file.CopyToAsync(target, ct);
            return await populations.ImportAsync(temp, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>What an analyst types or picks on the Categories page to take a name out of every measure.</summary>
    public const string NotMapped = ImportRecords.NotMapped;

    public Task<(bool Found, int? CategoryId)> FindCategoryAsync(string text, CancellationToken ct) => records.FindCategoryAsync(text, ct);

    public async Task<string> MapAsync(int aliasId, int? categoryId, string who, CancellationToken ct)
    {
        var (count, _) = await mapping.MapAsync(aliasId, categoryId, who, ct);
        return $"Mapping saved; measures recomputed: {count} area-months changed.";
    }

    public async Task<string> AddCategoryAsync(string code, string name, string group, string who, CancellationToken ct)
    {
        var c = await mapping.AddCategoryAsync(code, name, group, who, ct);
        return $"Category '{c.Name}' ({c.Code}) added; it counts towards total notifiable offences.";
    }

}

/// <summary>The banner: category names in imported extracts that count towards no measure yet.</summary>
public sealed class UnmappedCategoriesViewComponent(ImportPages pages) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() => View(await pages.UnmappedNamesAsync(HttpContext.RequestAborted));
}
