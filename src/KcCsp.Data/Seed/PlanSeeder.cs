using KcCsp.Data.Model;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.Seed;

/// <summary>
/// Loads the plan document's content (Seed/plan.json) and the London areas (Seed/areas.json).
/// Idempotent: areas are added when missing, and the plan is added once, keyed by its code.
/// </summary>
public sealed class PlanSeeder(KcCspDbContext db, TimeProvider clock, ILogger<PlanSeeder> logger)
{
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

    private async Task SeedPlanAsync(CancellationToken ct)
    {
        var seed = PlanSeedFile.Load<PlanSeedFile>("plan.json");
        if (await db.Plans.AnyAsync(p => p.Code == seed.Code, ct))
        {
            return;
        }

        var home = await db.Areas.SingleAsync(a => a.Name == seed.HomeArea, ct);
        var reportingYear = FinancialYear.Parse(seed.ReportingYear);
        var actionsYear = FinancialYear.Parse(seed.ActionsYear);
        var plan = new Plan
        {
            Code = seed.Code, Title = seed.Title, Partnership = seed.Partnership, Years = seed.Years,
            ExecutiveSummary = seed.ExecutiveSummary, AboutThePlan = seed.AboutThePlan,
            ReportingYear = reportingYear, ReportingToMonth = seed.ReportingToMonth, HomeArea = home,
        };
        db.Plans.Add(plan);

        var measures = new Dictionary<string, Measure>();
        var pendingRates = new List<(Measure Measure, string RateOf)>();
        var now = clock.GetUtcNow();
        var measureOrder = 0;

        Measure AddMeasure(MeasureSeed m, Priority? priority)
        {
            var measure = new Measure
            {
                Plan = plan, Code = m.Code, Name = m.Name, Description = m.Description ?? "",
                Unit = Enum.Parse<MeasureUnit>(m.Unit), Polarity = Enum.Parse<Polarity>(m.Polarity),
                Source = Enum.Parse<MeasureSource>(m.Source), Priority = priority, SortOrder = ++measureOrder,
                IsHeadline = m.Headline,
            };
            db.Measures.Add(measure);
            measures.Add(m.Code, measure);
            if (m.RateOf is not null) pendingRates.Add((measure, m.RateOf));
            if (m.Published is { } p) AddPublishedFigures(measure, p);
            return measure;
        }

        void AddPublishedFigures(Measure measure, PublishedSeed p)
        {
            var toMonth = p.ToMonth ?? seed.ReportingToMonth;
            var current = LikeForLike.YearToDate(reportingYear, toMonth);
            db.Figures.Add(new Figure
            {
                Measure = measure, Area = home, From = current.Previous.From, To = current.Previous.To, Value = p.Previous,
                Source = FigureSource.Published, SourceNote = seed.PublishedSource, EnteredAt = now,
            });
            db.Figures.Add(new Figure
            {
                Measure = measure, Area = home, From = current.Current.From, To = current.Current.To, Value = p.Current,
                Source = FigureSource.Published, SourceNote = seed.PublishedSource, EnteredAt = now,
                PublishedLondonRank = LondonRank.TryParse(p.LondonRank, out var rank) ? rank.PositionFromLowest : null,
                PublishedStatus = ParseMeetingTarget(p.MeetingTarget),
            });
        }

        var order = 0;
        foreach (var ps in seed.Priorities)
        {
            var priority = new Priority
            {
                Plan = plan, Code = ps.Code, SortOrder = ++order, Title = ps.Title, Aim = ps.Aim,
                Introduction = ps.Introduction, Narrative = ps.Narrative,
            };
            db.Priorities.Add(priority);
            var reviewOrder = 0;
            foreach (var r in ps.Reviews)
            {
                db.PriorityReviews.Add(new PriorityReview
                {
                    Priority = priority, FinancialYear = reportingYear, SortOrder = ++reviewOrder,
                    Heading = r.Heading, Comments = string.Join('\n', r.Comments),
                });
            }
            foreach (var m in ps.Measures) AddMeasure(m, priority);
            var actionOrder = 0;
            foreach (var a in ps.Actions)
            {
                db.Actions.Add(new PlanAction
                {
                    Priority = priority, Theme = a.Theme, Text = a.Text, Detail = a.Detail ?? "", LeadAgency = a.LeadAgency,
                    FinancialYear = actionsYear, DueDate = seed.ActionsDue, Status = ActionStatus.NotStarted, SortOrder = ++actionOrder,
                });
            }
        }
        foreach (var m in seed.OtherMeasures) AddMeasure(m, null);
        foreach (var (measure, rateOf) in pendingRates) measure.RateOfMeasure = measures[rateOf];

        foreach (var t in seed.Targets)
        {
            db.Targets.Add(new Target
            {
                Measure = measures[t.Measure], FinancialYear = FinancialYear.Parse(t.Year), Form = Enum.Parse<TargetForm>(t.Form),
                Value = t.Value, AsPrinted = t.AsPrinted, Set = t.Set,
            });
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded plan {PlanCode}: {PriorityCount} priorities, {MeasureCount} measures, {TargetCount} targets",
            seed.Code, seed.Priorities.Count, measures.Count, seed.Targets.Count);
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
