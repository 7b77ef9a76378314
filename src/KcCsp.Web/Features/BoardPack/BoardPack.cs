using KcCsp.Data.Reporting;

namespace KcCsp.Web.Features.BoardPack;

/// <summary>Everything the board pack workbook shows, computed before any cell is written.</summary>
public sealed record BoardPack(
    PackCover Cover,
    IReadOnlyList<PackPriority> Priorities,
    IReadOnlyList<MeasureRow> PartnershipMeasures,
    IReadOnlyList<MonthlyPoint> Monthly,
    IReadOnlyList<StoredFigure> Figures)
{
    public IEnumerable<MeasureRow> AllRows => Priorities.SelectMany(p => p.Rows).Concat(PartnershipMeasures);

    /// <summary>The priorities' headline crime measures by ward (the Hotspots sheet), where ward files cover the period.</summary>
    public IReadOnlyList<SmallAreas.HotspotsJson> Hotspots { get; init; } = [];
}

public sealed record PackCover(
    string PlanTitle, string Partnership, string PlanYears, string Area, ReportingPeriod Period,
    string PeriodDescription, string PreviousPeriodDescription, DateTimeOffset ProducedAt, IReadOnlyList<PackSource> Sources);

/// <summary>Which figure a row of the pack rests on: "published" (the plan), "manual" (an analyst's entry) or "imported".</summary>
public sealed record PackSource(string Measure, string MeasureName, string Period, string Source, string SourceNote);

public sealed record PackPriority(string Code, string Title, string Aim, IReadOnlyList<MeasureRow> Rows, IReadOnlyList<TargetRow> Targets, IReadOnlyList<ActionView> Actions)
{
    /// <summary>The priority's published "what our data tells us" (never a draft), or null when nothing is published.</summary>
    public KcCsp.Data.Analysis.PublishedAnalysis? Analysis { get; init; }
}

/// <summary>A stored figure of the home area in the two compared years, so every number can be traced to its row.</summary>
public sealed record StoredFigure(string Measure, string MeasureName, string Area, string From, string To, decimal Value, string Unit, string Source, string SourceNote, string? EnteredBy, DateTimeOffset EnteredAt);
