using System.Text.Json;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Data.Reporting;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Data.Analysis;

/// <summary>
/// A published analysis as the board reads it: the text, its window, who published it and when, and whether the figures
/// have changed since (today's draft for the same window differs from the draft it was published from).
/// </summary>
public sealed record PublishedAnalysis(
    int Id, string Priority, string Area, Period Window, string Text, string DraftText, string PublishedBy, DateTimeOffset PublishedAt,
    bool FiguresChanged, IReadOnlyList<AnalysisFact> Facts)
{
    public IReadOnlyList<string> Paragraphs => Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Publishing an edited draft (audited through the <see cref="UnitOfWork"/>: who, when, the previous published version
/// and the new one), and reading what is published: the latest version per priority and area, and every version.
/// </summary>
public sealed class AnalysisPublishing(KcCspDbContext db, AnalysisService drafts, UnitOfWork work, TimeProvider clock)
{
    public const int MaxTextLength = 20_000;

    private static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Publishes <paramref name="text"/> as the priority's analysis for the area and window, with today's draft for the
    /// same window kept beside it. Invalid when the text is empty or too long; a bad priority, area or window throws as
    /// drafting does.
    /// </summary>
    public async Task<Result> PublishAsync(string priorityCode, string areaName, Period window, string? text, string who, CancellationToken ct = default)
    {
        var trimmed = Normalise(text);
        if (trimmed.Length == 0) return Result.Invalid("Write the analysis to publish: the text is empty.");
        if (trimmed.Length > MaxTextLength) return Result.Invalid($"The analysis is longer than {MaxTextLength:N0} characters.");
        var draft = await drafts.DraftAsync(priorityCode, areaName, window, ct);
        var priorityId = await db.Priorities.Where(p => p.Code == draft.Priority).Select(p => p.Id).SingleAsync(ct);
        var areaId = await db.Areas.Where(a => a.Name == draft.Area).Select(a => a.Id).FirstAsync(ct);
        return await work.RunAsync(who, async c =>
        {
            var previous = await Latest(priorityId, areaId).FirstOrDefaultAsync(c);
            var publication = new AnalysisPublication
            {
                PriorityId = priorityId, AreaId = areaId, From = window.From, To = window.To,
                Text = trimmed, DraftText = draft.Text, FactsJson = JsonSerializer.Serialize(draft.Facts.Select(StoredFact.Of), FactJson),
                PublishedBy = who, PublishedAt = clock.GetUtcNow(),
            };
            db.AnalysisPublications.Add(publication);
            work.Record("published", "Analysis", $"{draft.Priority} / {draft.Area}",
                previous is null ? null : Snapshot(previous, draft.Priority, draft.Area),
                Snapshot(publication, draft.Priority, draft.Area));
            await db.SaveChangesAsync(c);
            return new Result(Outcome.Done, publication.Id);
        }, ct);
    }

    /// <summary>
    /// The latest published analysis of each priority for an area (by priority code), or of just <paramref name="priority"/>,
    /// with whether the figures changed since (which drafts each one again for its window).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PublishedAnalysis>> LatestAsync(string areaName, CancellationToken ct = default, string? priority = null)
    {
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        if (ReportService.FindArea(areas, areaName) is not { } area) return new Dictionary<string, PublishedAnalysis>();
        var query = db.AnalysisPublications.AsNoTracking().Where(p => p.AreaId == area.Id);
        if (priority is not null) query = query.Where(p => p.Priority!.Code == priority);
        var rows = await query.Select(p => new { p.PriorityId, p.Id, p.PublishedAt }).ToListAsync(ct);
        if (rows.Count == 0) return new Dictionary<string, PublishedAnalysis>();
        var latestIds = rows.GroupBy(r => r.PriorityId).Select(g => g.OrderByDescending(r => r.PublishedAt.UtcTicks).ThenByDescending(r => r.Id).First().Id).ToList();
        var latest = await db.AnalysisPublications.AsNoTracking().Where(p => latestIds.Contains(p.Id)).Include(p => p.Priority).ToListAsync(ct);
        var result = new Dictionary<string, PublishedAnalysis>();
        foreach (var p in latest) result[p.Priority!.Code] = await ViewAsync(p, p.Priority.Code, area.Name, compare: true, ct);
        return result;
    }

    /// <summary>Every published version of a priority's analysis for an area, newest first.</summary>
    public async Task<IReadOnlyList<PublishedAnalysis>> HistoryAsync(string priorityCode, string areaName, CancellationToken ct = default)
    {
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        if (ReportService.FindArea(areas, areaName) is not { } area) return [];
        var versions = (await db.AnalysisPublications.AsNoTracking().Where(p => p.AreaId == area.Id && p.Priority!.Code == priorityCode).ToListAsync(ct))
            .OrderByDescending(p => p.PublishedAt.UtcTicks).ThenByDescending(p => p.Id).ToList();
        var list = new List<PublishedAnalysis>();
        foreach (var p in versions) list.Add(await ViewAsync(p, priorityCode, area.Name, compare: false, ct));
        return list;
    }

    private IQueryable<AnalysisPublication> Latest(int priorityId, int areaId) =>
        db.AnalysisPublications.AsNoTracking().Where(p => p.PriorityId == priorityId && p.AreaId == areaId).OrderByDescending(p => p.Id);

    private async Task<PublishedAnalysis> ViewAsync(AnalysisPublication p, string priority, string area, bool compare, CancellationToken ct)
    {
        var window = new Period(p.From, p.To);
        var changed = false;
        if (compare)
        {
            try
            {
                changed = (await drafts.DraftAsync(priority, area, window, ct)).Text != p.DraftText;
            }
            catch (AnalysisRefusedException)
            {
                // The figures it was drafted from are gone (an import rolled back): they have certainly changed.
                changed = true;
            }
        }
        var facts = (JsonSerializer.Deserialize<List<StoredFact>>(p.FactsJson, FactJson) ?? []).Select(f => f.ToFact()).ToList();
        return new PublishedAnalysis(p.Id, priority, area, window, p.Text, p.DraftText, p.PublishedBy, p.PublishedAt, changed, facts);
    }

    private static object Snapshot(AnalysisPublication p, string priority, string area) =>
        new { Priority = priority, Area = area, From = p.From.ToString(), To = p.To.ToString(), p.Text, p.PublishedBy, p.PublishedAt };

    /// <summary>Line endings as "\n" and no blank lines beyond one between paragraphs.</summary>
    public static string Normalise(string? text)
    {
        var lines = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        var paragraphs = string.Join("\n", lines).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n\n", paragraphs.Where(p => p.Length > 0));
    }
}

/// <summary>A fact as a publication keeps it (months as YYYY-MM).</summary>
internal sealed record StoredFact(string Id, string Kind, string Label, string Measure, string? Category, string Area, string From, string To, decimal Value, string Shown, string Source)
{
    public static StoredFact Of(AnalysisFact f) => new(f.Id, f.Kind, f.Label, f.Measure, f.Category, f.Area, f.From.ToString(), f.To.ToString(), f.Value, f.Shown, f.Source);

    public AnalysisFact ToFact() => new(Id, Kind, Label, Measure, Category, Area, YearMonth.Parse(From), YearMonth.Parse(To), Value, Shown, Source);
}

public static class AnalysisSetup
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services)
    {
        services.AddScoped<AnalysisService>();
        services.AddScoped<AnalysisPublishing>();
        return services;
    }
}
