using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Seed;

internal sealed record CategorySeedFile(List<CategorySeed> Categories, List<AliasSeed> Aliases, Dictionary<string, List<string>> Measures,
    List<TaxonomyChangeSeed>? TaxonomyChanges);

internal sealed record TaxonomyChangeSeed(string From, string Title, string Explanation, List<string> Categories);

internal sealed record CategorySeed(string Code, string Name, string MajorGroup);

internal sealed record AliasSeed(string Major, string Minor, string Category);

/// <summary>
/// Loads Seed/categories.json: canonical categories, the names extracts use for them, and which categories each
/// crime-extract measure adds up. Idempotent; never overrides what analysts have mapped or changed since.
/// </summary>
public sealed class CategorySeeder(KcCspDbContext db, TimeProvider clock, ILogger<CategorySeeder> logger)
{
    /// <summary>The measure that adds up every MPS category; categories analysts create join it too.</summary>
    public const string AllCategoriesMeasure = "total-notifiable-offences";

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var seed = PlanSeedFile.Load<CategorySeedFile>("categories.json");
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var categories = await db.CrimeCategories.ToDictionaryAsync(c => c.Code, ct);
        var added = new List<CrimeCategory>();
        foreach (var c in seed.Categories.Where(c => !categories.ContainsKey(c.Code)))
        {
            var category = new CrimeCategory { Code = c.Code, Name = c.Name, MajorGroup = c.MajorGroup };
            db.CrimeCategories.Add(category);
            categories.Add(c.Code, category);
            added.Add(category);
        }

        // police.uk's crime types (Seed/police-uk-categories.json): categories of their own taxonomy, one alias each.
        var policeUk = Importing.PoliceUk.PoliceUkCategories.Categories().ToList();
        foreach (var (c, _, _) in policeUk.Where(p => !categories.ContainsKey(p.Category.Code)))
        {
            db.CrimeCategories.Add(c);
            categories.Add(c.Code, c);
            added.Add(c);
        }

        var aliasKeys = (await db.CategoryAliases.Select(a => a.Key).ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow();
        var addedAliases = 0;
        foreach (var (c, major, minor) in policeUk)
        {
            var key = CategoryNames.Key(major, minor);
            if (!aliasKeys.Add(key)) continue;
            db.CategoryAliases.Add(new CategoryAlias
            {
                MajorName = major, MinorName = minor, Key = key, Category = categories[c.Code], CreatedAt = now, MappedBy = "seed", MappedAt = now,
            });
            addedAliases++;
        }
        foreach (var a in seed.Aliases)
        {
            var key = CategoryNames.Key(a.Major, a.Minor);
            if (!aliasKeys.Add(key)) continue;
            db.CategoryAliases.Add(new CategoryAlias
            {
                MajorName = a.Major, MinorName = a.Minor, Key = key, Category = categories[a.Category],
                CreatedAt = now, MappedBy = "seed", MappedAt = now,
            });
            addedAliases++;
        }
        await db.SaveChangesAsync(ct);

        // A measure's definition is seeded once; after that it belongs to the analysts. K&C's measures are defined by its
        // plan file (plans/kc-2010-2013.json) when the plan is loaded; this section of categories.json keeps databases
        // seeded before then, and a category a later seed adds, in step. Other plans' measures are their files' only.
        var measures = await db.Measures.Where(m => m.Plan!.Code == PlanSeeder.SeedPlanCode && seed.Measures.Keys.Contains(m.Code)).ToListAsync(ct);
        var defined = (await db.MeasureCategories.Select(mc => mc.MeasureId).Distinct().ToListAsync(ct)).ToHashSet();
        // A category a later seed adds (the 2023 burglary split) joins the already-defined measures the seed lists it under.
        foreach (var measure in measures.Where(m => defined.Contains(m.Id)))
        {
            var codes = seed.Measures[measure.Code];
            // "*" is every MPS category: police.uk's are another taxonomy, never part of total notifiable offences.
            foreach (var category in added.Where(c => (codes.Contains("*") && c.Taxonomy == CrimeSources.Mps) || codes.Contains(c.Code) || codes.Contains("+" + c.Code)))
                db.MeasureCategories.Add(new MeasureCategory { MeasureId = measure.Id, CategoryId = category.Id, IsDefining = !codes.Contains("+" + category.Code) });
        }
        foreach (var measure in measures.Where(m => !defined.Contains(m.Id)))
        {
            var codes = seed.Measures[measure.Code];
            // "*" is every category; "+code" is counted but not defining (see MeasureCategory.IsDefining).
            var entries = codes.Contains("*")
                ? categories.Values.Where(c => c.Taxonomy == CrimeSources.Mps).Select(c => (c.Id, Defining: true))
                : codes.Select(c => (categories[c.TrimStart('+')].Id, Defining: !c.StartsWith('+')));
            foreach (var (id, defining) in entries) db.MeasureCategories.Add(new MeasureCategory { MeasureId = measure.Id, CategoryId = id, IsDefining = defining });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (addedAliases > 0) logger.LogInformation("Seeded {AliasCount} crime category names", addedAliases);
    }
}
