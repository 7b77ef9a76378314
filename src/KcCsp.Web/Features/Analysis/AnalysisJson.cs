using KcCsp.Data.Analysis;

namespace KcCsp.Web.Features.Analysis;

/// <summary>
/// A drafted analysis as the CLI's `narrative --json` prints it and the API answers it (the same record, field for field):
/// the draft's <see cref="Text"/> and the <see cref="Facts"/> every number in it came from, the plan's printed text to
/// read beside it, and the latest published version for the priority and area, if any.
/// </summary>
public sealed record AnalysisJson(
    string Priority, string PriorityTitle, string Area, string From, string To, string Window, string Text,
    IReadOnlyList<AnalysisFactJson> Facts, string PlanText, PublishedAnalysisJson? Published)
{
    public static AnalysisJson Of(DraftAnalysis d, PublishedAnalysis? published) => new(
        d.Priority, d.PriorityTitle, d.Area, d.Window.From.ToString(), d.Window.To.ToString(), d.Window.Describe(), d.Text,
        d.Facts.Select(AnalysisFactJson.Of).ToList(), d.PlanText, published is null ? null : PublishedAnalysisJson.Of(published));
}

/// <param name="Shown">The number exactly as the text writes it.</param>
public sealed record AnalysisFactJson(
    string Id, string Kind, string Label, string Measure, string? Category, string Area, string From, string To, decimal Value, string Shown, string Source)
{
    public static AnalysisFactJson Of(AnalysisFact f) =>
        new(f.Id, f.Kind, f.Label, f.Measure, f.Category, f.Area, f.From.ToString(), f.To.ToString(), f.Value, f.Shown, f.Source);
}

/// <param name="FiguresChanged">Today's draft for the same window differs from the draft it was published from.</param>
public sealed record PublishedAnalysisJson(int Id, string From, string To, string Text, string PublishedBy, DateTimeOffset PublishedAt, bool FiguresChanged)
{
    public static PublishedAnalysisJson Of(PublishedAnalysis p) =>
        new(p.Id, p.Window.From.ToString(), p.Window.To.ToString(), p.Text, p.PublishedBy, p.PublishedAt, p.FiguresChanged);
}
