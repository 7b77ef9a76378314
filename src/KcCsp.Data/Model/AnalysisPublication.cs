using KcCsp.Domain;

namespace KcCsp.Data.Model;

/// <summary>
/// One published version of a priority's "what our data tells us" analysis for an area and window: the text an analyst
/// published (the draft, perhaps edited), the draft it was published from and that draft's facts. Every publication is
/// a new row, so every published version is kept; the latest for a priority and area is the one the board reads.
/// (The plan's own printed text is <see cref="Priority.Narrative"/>.)
/// </summary>
public class AnalysisPublication
{
    public int Id { get; set; }
    public int PriorityId { get; set; }
    public Priority? Priority { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }
    public YearMonth From { get; set; }
    public YearMonth To { get; set; }
    /// <summary>The text as published.</summary>
    public required string Text { get; set; }
    /// <summary>The portal's draft at the moment of publishing: when today's draft differs, the figures have changed since.</summary>
    public required string DraftText { get; set; }
    /// <summary>The draft's facts at the moment of publishing, as JSON.</summary>
    public string FactsJson { get; set; } = "[]";
    public required string PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}
