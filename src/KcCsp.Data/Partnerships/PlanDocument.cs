using KcCsp.Data.Model;
using KcCsp.Domain;

namespace KcCsp.Data.Partnerships;

/// <summary>
/// A partnership's plan as a plan file holds it (docs/plan-format.md, docs/plan.schema.json): what <see cref="PlanFileReader"/>
/// reads and checks, <see cref="PlanFiles"/> loads into the database, and <see cref="PlanFileWriter"/> writes back. Values are
/// typed here (years, months, units, ranks, verdicts); the file's text forms live in the reader and the writer only.
/// </summary>
public sealed record PlanDocument
{
    /// <summary>The only format version so far.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Code { get; init; }
    public required string Title { get; init; }
    public required string Partnership { get; init; }
    public required string Years { get; init; }
    /// <summary>The partnership's local authority: by ONS code (with its name, used when the portal does not know the code yet), or by name only (the older <c>homeArea</c>).</summary>
    public required AreaReference LocalAuthority { get; init; }
    public FinancialYear ReportingYear { get; init; }
    public int ReportingToMonth { get; init; }
    /// <summary>Where the Section 2 figures were read ("Plan 2010-2013, Section 2"): each published figure's source note.</summary>
    public string PublishedSource { get; init; } = "";
    /// <summary>Where the plan itself was published (a document and its address).</summary>
    public string Source { get; init; } = "";
    public string ExecutiveSummary { get; init; } = "";
    public string AboutThePlan { get; init; } = "";
    public List<PriorityDocument> Priorities { get; init; } = [];
    /// <summary>Measures of no priority (total notifiable offences).</summary>
    public List<MeasureDocument> OtherMeasures { get; init; } = [];
    /// <summary>The year the actions are for and the date they are due by, unless an action says otherwise.</summary>
    public FinancialYear? ActionsYear { get; init; }
    public DateOnly? ActionsDue { get; init; }
    public List<TargetDocument> Targets { get; init; } = [];
    public List<PeerGroupDocument> PeerGroups { get; init; } = [];

    public IEnumerable<MeasureDocument> AllMeasures => Priorities.SelectMany(p => p.Measures).Concat(OtherMeasures);
}

public sealed record AreaReference(string? Code, string? Name);

public sealed record PriorityDocument
{
    public required string Code { get; init; }
    public required string Title { get; init; }
    public required string Aim { get; init; }
    public string Introduction { get; init; } = "";
    public string Narrative { get; init; } = "";
    /// <summary>Section 2: the reporting year's review, heading and comments.</summary>
    public List<ReviewDocument> Reviews { get; init; } = [];
    public List<MeasureDocument> Measures { get; init; } = [];
    public List<ActionDocument> Actions { get; init; } = [];
}

public sealed record ReviewDocument(string Heading, List<string> Comments);

public sealed record MeasureDocument
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public MeasureUnit Unit { get; init; }
    public Polarity Polarity { get; init; }
    public MeasureSource Source { get; init; }
    public bool Headline { get; init; }
    public string? RateOf { get; init; }
    public string? ShareOf { get; init; }
    /// <summary>Canonical category codes ("*" every MPS category, "+code" counted but not defining); empty for a measure of no categories.</summary>
    public List<string> Categories { get; init; } = [];
    public PublishedDocument? Published { get; init; }
}

/// <summary>A Section 2 row: both years' figures for April to <see cref="ToMonth"/> (the plan's reporting month when null), the rank and the verdict.</summary>
public sealed record PublishedDocument(decimal Previous, decimal Current, int? ToMonth, int? LondonRankFromLowest, TargetStatus MeetingTarget);

public sealed record ActionDocument
{
    public string Theme { get; init; } = "";
    public required string Text { get; init; }
    public string Detail { get; init; } = "";
    public string LeadAgency { get; init; } = "";
    /// <summary>Null: the plan's <see cref="PlanDocument.ActionsDue"/>.</summary>
    public DateOnly? DueDate { get; init; }
}

public sealed record TargetDocument(string Set, FinancialYear Year, string Measure, TargetForm Form, decimal Value, string AsPrinted);

public sealed record PeerGroupDocument(string Name, string Description, bool Default, List<AreaReference> Members);
