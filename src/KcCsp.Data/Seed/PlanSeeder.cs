using KcCsp.Data.Model;
using KcCsp.Data.Partnerships;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Seed;

/// <summary>
/// Loads the London areas (Seed/areas.json) and K&amp;C's plan, the plan file plans/kc-2010-2013.json embedded in this
/// assembly, through the same loader as <c>import-plan</c> (<see cref="PlanFiles"/>) when the plan is missing.
/// Idempotent: areas are added when missing, and the plan once, keyed by its code; after that it is the analysts'
/// and `import-plan`'s to change. The crime categories must be seeded first (<see cref="CategorySeeder"/>): the file's
/// measures name them.
/// </summary>
public sealed class PlanSeeder(KcCspDbContext db, PlanFiles planFiles, ILogger<PlanSeeder> logger)
{
    /// <summary>K&amp;C's plan: its code, and its file's name as the assembly embeds it.</summary>
    public const string SeedPlanCode = "kc-2010-2013";
    public const string SeedPlanFile = SeedPlanCode + ".json";

    public async Task SeedAsync(CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await SeedAreasAsync(ct);
        await SeedPlanAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task SeedAreasAsync(CancellationToken ct)
    {
        var file = PlanSeedFile.Load<AreaSeedFile>("areas.json");
        var existing = await db.Areas.ToListAsync(ct);
        var known = existing.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        var added = 0;
        foreach (var a in file.Areas)
        {
            if (known.TryGetValue(a.Name, out var area))
            {
                // Databases seeded before areas had a force get it once; a force set since (by a police.uk import) stays.
                area.Force ??= a.Force;
                continue;
            }
            db.Areas.Add(new Area { Code = a.Code, Name = a.Name, Kind = Enum.Parse<AreaKind>(a.Kind), InLondonRanking = a.InLondonRanking, Force = a.Force });
            added++;
        }
        await db.SaveChangesAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {AreaCount} areas", added);
    }

    /// <summary>The embedded plan file's bytes.</summary>
    public static byte[] SeedPlanBytes()
    {
        var resource = $"KcCsp.Data.Plans.{SeedPlanFile}";
        using var stream = typeof(PlanSeeder).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Seed resource {resource} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task SeedPlanAsync(CancellationToken ct)
    {
        // Every start: one look, and the file is read only when the plan is missing or lacks what the file adds.
        if (await db.Plans.AnyAsync(p => p.Code == SeedPlanCode && (p.ActionsYear != null || p.PublishedSource != ""), ct)) return;
        var bytes = SeedPlanBytes();
        var read = PlanFileReader.Read(SeedPlanFile, bytes);
        if (read.Document is not { } doc) throw new PlanFileException(read.Errors);
        var existing = await db.Plans.SingleOrDefaultAsync(p => p.Code == doc.Code, ct);
        if (existing is not null)
        {
            // A database seeded before plans were files: what the file says and the plan did not keep.
            if (existing.ActionsYear is null && existing.PublishedSource.Length == 0)
            {
                (existing.ActionsYear, existing.ActionsDue, existing.PublishedSource, existing.Source) = (doc.ActionsYear, doc.ActionsDue, doc.PublishedSource, doc.Source);
                await db.SaveChangesAsync(ct);
            }
            return;
        }
        var loaded = await planFiles.ApplyAsync(read, bytes, "seed", ct);
        logger.LogInformation("Seeded plan {PlanCode}: {PriorityCount} priorities, {MeasureCount} measures, {TargetCount} targets",
            loaded.PlanCode, doc.Priorities.Count, doc.AllMeasures.Count(), doc.Targets.Count);
    }

    /// <summary>The plan's "Meeting target?" column: ✓ met, × not met, and None / N/A / - no target.</summary>
    public static TargetStatus ParseMeetingTarget(string printed) => printed.Trim() switch
    {
        "✓" => TargetStatus.Met,
        "×" or "x" or "✗" => TargetStatus.NotMet,
        "None" or "N/A" or "-" or "–" or "" => TargetStatus.NoTarget,
        var other => throw new FormatException($"Unrecognised \"Meeting target?\" value '{other}' in the plan seed."),
    };
}
