using KcCsp.Data.Analysis;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features.Analysis;

/// <summary>
/// A priority's "what our data tells us" on its page: the published text (with its window, date, author and whether
/// the figures changed since), and for analysts the draft for the page's period beside it, or why there is none.
/// </summary>
public sealed record PriorityAnalysisView(string Priority, string Area, PublishedAnalysis? Published, DraftAnalysis? Draft, string? DraftRefusal, Period Window)
{
    /// <summary>The analysts' page for editing and publishing, for the same window.</summary>
    public string EditLink => $"/priorities/{Priority}/analysis?from={Window.From}&to={Window.To}";
}

/// <summary>The analysts' page: the draft for a window, the published version and every earlier one, and the form.</summary>
public sealed record AnalysisEditView(string Priority, string PriorityTitle, string Area, Period Window, DraftAnalysis? Draft, string? DraftRefusal,
    PublishedAnalysis? Published, IReadOnlyList<PublishedAnalysis> History, string Text);

/// <summary>Reads drafts and publications for the pages (no queries of its own: <see cref="AnalysisService"/> and <see cref="AnalysisPublishing"/> do).</summary>
public sealed class AnalysisPages(AnalysisService drafts, AnalysisPublishing publishing)
{
    public async Task<PriorityAnalysisView> ForPriorityPageAsync(string priority, string area, Period window, bool withDraft, CancellationToken ct)
    {
        var published = (await publishing.LatestAsync(area, ct, priority)).GetValueOrDefault(priority);
        if (!withDraft) return new PriorityAnalysisView(priority, area, published, null, null, window);
        var (draft, refusal) = await TryDraftAsync(priority, area, window, ct);
        return new PriorityAnalysisView(priority, area, published, draft, refusal, window);
    }

    /// <summary>The latest published analysis of every priority for an area (the board pack's print view), by priority code.</summary>
    public Task<IReadOnlyDictionary<string, PublishedAnalysis>> PublishedAsync(string area, CancellationToken ct) => publishing.LatestAsync(area, ct);

    public async Task<AnalysisEditView> EditAsync(string priority, string priorityTitle, string area, Period window, string? text, CancellationToken ct)
    {
        var (draft, refusal) = await TryDraftAsync(priority, area, window, ct);
        var published = (await publishing.LatestAsync(area, ct, priority)).GetValueOrDefault(priority);
        var history = await publishing.HistoryAsync(priority, area, ct);
        return new AnalysisEditView(priority, priorityTitle, area, window, draft, refusal, published, history, text ?? draft?.Text ?? "");
    }

    private async Task<(DraftAnalysis?, string?)> TryDraftAsync(string priority, string area, Period window, CancellationToken ct)
    {
        try
        {
            return (await drafts.DraftAsync(priority, area, window, ct), null);
        }
        catch (BadParameterException e)
        {
            return (null, e.Message);
        }
    }
}

/// <summary>The facts of a draft or a publication, listed under an id the page can link to.</summary>
public sealed record FactList(string Id, IReadOnlyList<AnalysisFact> Facts);
