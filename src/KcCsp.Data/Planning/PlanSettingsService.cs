using System.ComponentModel.DataAnnotations;
using System.Text;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Planning;

public sealed class TargetInput
{
    [Required(ErrorMessage = "Choose the measure.")]
    public string Measure { get; set; } = "";
    [Required(ErrorMessage = "Give the financial year, e.g. 2010/11.")]
    public string FinancialYear { get; set; } = "";
    public TargetForm Form { get; set; }
    [Required(ErrorMessage = "Give the target's value.")]
    public decimal? Value { get; set; }
    [Required(ErrorMessage = "Give the target as printed, e.g. -1.2%.")]
    [StringLength(100)]
    public string AsPrinted { get; set; } = "";
    [StringLength(100)]
    public string? Set { get; set; } = "";
}

public sealed class MeasureInput
{
    [Required(ErrorMessage = "Give the measure a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";
    public string? Description { get; set; } = "";
    public Polarity Polarity { get; set; }
    public MeasureUnit Unit { get; set; }
}

public sealed record TargetListRow(int Id, string Measure, string MeasureName, string FinancialYear, string Form, decimal Value, string AsPrinted, string Set);

public sealed record TargetsModel(IReadOnlyList<TargetListRow> Targets, TargetFormModel NewTarget);

public sealed record TargetFormModel(int? Id, TargetInput Target, IReadOnlyList<(string Code, string Name)> Measures);

public sealed record MeasureListRow(int Id, string Code, string Name, string Description, string Unit, string Polarity, string Source);

public sealed record MeasuresModel(IReadOnlyList<MeasureListRow> Measures, MeasureInput NewMeasure);

/// <summary>Targets and measures, kept by analysts.</summary>
public sealed class PlanSettingsService(KcCspDbContext db, UnitOfWork unit)
{
    public async Task<TargetsModel> TargetsAsync(CancellationToken ct = default)
    {
        var targets = (await db.Targets.AsNoTracking().Include(t => t.Measure).ToListAsync(ct))
            .OrderBy(t => t.FinancialYear).ThenBy(t => t.Measure!.SortOrder)
            .Select(t => new TargetListRow(t.Id, t.Measure!.Code, t.Measure.Name, t.FinancialYear.ToString(), t.Form.ToString(), t.Value, t.AsPrinted, t.Set))
            .ToList();
        return new TargetsModel(targets, await TargetFormAsync(null, new TargetInput(), ct));
    }

    public async Task<TargetFormModel?> EditTargetFormAsync(int id, CancellationToken ct = default)
    {
        var t = await db.Targets.AsNoTracking().Include(x => x.Measure).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return null;
        return await TargetFormAsync(id, new TargetInput
        {
            Measure = t.Measure!.Code, FinancialYear = t.FinancialYear.ToString(), Form = t.Form, Value = t.Value, AsPrinted = t.AsPrinted, Set = t.Set,
        }, ct);
    }

    public async Task<TargetFormModel> TargetFormAsync(int? id, TargetInput form, CancellationToken ct = default)
    {
        var measures = (await db.Measures.AsNoTracking().OrderBy(m => m.SortOrder).Select(m => new { m.Code, m.Name }).ToListAsync(ct))
            .Select(m => (m.Code, m.Name)).ToList();
        return new TargetFormModel(id, form, measures);
    }

    public async Task<Result> SaveTargetAsync(int? id, TargetInput form, string who, CancellationToken ct = default)
    {
        var measure = await db.Measures.SingleOrDefaultAsync(m => m.Code == form.Measure, ct);
        if (measure is null) return Result.Invalid($"There is no measure '{form.Measure}'.");
        if (!FinancialYear.TryParse(form.FinancialYear, out var year)) return Result.Invalid($"'{form.FinancialYear}' is not a financial year such as 2010/11.");
        if (await db.Targets.AnyAsync(t => t.MeasureId == measure.Id && t.FinancialYear == year && t.Id != (id ?? 0), ct))
            return Result.Invalid($"{measure.Name} already has a target for {year}: edit that one.");

        Target? target = null;
        var result = await unit.RunAsync(who, async ct =>
        {
            target = await db.EditOrAddAsync(id, () => new Target(), ct);
            if (target is null) return Result.NotFound;
            target.Measure = measure;
            target.FinancialYear = year;
            target.Form = form.Form;
            target.Value = form.Value!.Value;
            target.AsPrinted = form.AsPrinted.Trim();
            target.Set = (form.Set ?? "").Trim();
            return new Result(Outcome.Done);
        }, ct);
        return result.Outcome == Outcome.Done ? result with { Id = target!.Id } : result;
    }

    public async Task<MeasuresModel> MeasuresAsync(CancellationToken ct = default)
    {
        var measures = await db.Measures.AsNoTracking().OrderBy(m => m.SortOrder).ToListAsync(ct);
        return new MeasuresModel(
            measures.Select(m => new MeasureListRow(m.Id, m.Code, m.Name, m.Description, m.Unit.ToString(), m.Polarity.ToString(), m.Source.ToString())).ToList(),
            new MeasureInput());
    }

    public async Task<MeasureInput?> EditMeasureFormAsync(int id, CancellationToken ct = default)
    {
        var m = await db.Measures.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return m is null ? null : new MeasureInput { Name = m.Name, Description = m.Description, Polarity = m.Polarity, Unit = m.Unit };
    }

    public async Task<Result> SaveMeasureAsync(int? id, MeasureInput form, string who, CancellationToken ct = default)
    {
        Measure measure;
        if (id is { } measureId)
        {
            var found = await db.Measures.SingleOrDefaultAsync(m => m.Id == measureId, ct);
            if (found is null) return Result.NotFound;
            measure = found;
        }
        else
        {
            var code = Slug(form.Name);
            if (code.Length == 0) return Result.Invalid("The name needs letters or digits.");
            if (await db.Measures.AnyAsync(m => m.Code == code, ct)) return Result.Invalid($"There is already a measure with the code '{code}'.");
            var order = await db.Measures.Select(m => (int?)m.SortOrder).MaxAsync(ct) ?? 0;
            // New measures are entered by analysts: crime-extract measures come with category mappings (the importer).
            // An analyst's new measure belongs to the plan they are in.
            var planId = db.PlanScopeId ?? await db.ScopedPlan.Select(p => p.Id).FirstAsync(ct);
            measure = new Measure { PlanId = planId, Code = code, Name = form.Name, Source = MeasureSource.Manual, SortOrder = order + 1 };
            db.Measures.Add(measure);
        }
        await unit.RunAsync(who, _ =>
        {
            measure.Name = form.Name.Trim();
            measure.Description = (form.Description ?? "").Trim();
            measure.Polarity = form.Polarity;
            measure.Unit = form.Unit;
            return Task.CompletedTask;
        }, ct);
        return new Result(Outcome.Done, measure.Id);
    }

    /// <summary>"Perceptions of ASB (% high worry)" → "perceptions-of-asb-high-worry".</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }
}
