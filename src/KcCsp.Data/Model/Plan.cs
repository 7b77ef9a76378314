using KcCsp.Domain;

namespace KcCsp.Data.Model;

/// <summary>The partnership's Crime and Community Safety Plan: the root of everything the board reads.</summary>
public class Plan
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Title { get; set; }
    public required string Partnership { get; set; }
    public required string Years { get; set; }
    public string ExecutiveSummary { get; set; } = "";
    public string AboutThePlan { get; set; } = "";
    /// <summary>The financial year and last month the plan's published figures describe (2009/10, January).</summary>
    public FinancialYear ReportingYear { get; set; }
    public int ReportingToMonth { get; set; }
    /// <summary>The area the plan is about (Kensington and Chelsea).</summary>
    public int HomeAreaId { get; set; }
    public Area? HomeArea { get; set; }
    /// <summary>Where the plan was published (a document and its address), as its plan file names it.</summary>
    public string Source { get; set; } = "";
    /// <summary>Where the Section 2 figures were read ("Plan 2010-2013, Section 2").</summary>
    public string PublishedSource { get; set; } = "";
    /// <summary>The year the plan's actions are for and the date they are due by, unless an action says otherwise.</summary>
    public FinancialYear? ActionsYear { get; set; }
    public DateOnly? ActionsDue { get; set; }
    public List<Priority> Priorities { get; set; } = [];
    public List<PlanMembership> Members { get; set; } = [];
}

/// <summary>
/// One loading of a plan file (<c>import-plan</c>, or the seed of K&amp;C's): the file exactly as it was read, so every
/// revision of a plan can be read again and compared. Number 1 created the plan; each later one revised it.
/// </summary>
public class PlanRevision
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public Plan? Plan { get; set; }
    public int Number { get; set; }
    public required string FileName { get; set; }
    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; set; }
    public required string Text { get; set; }
    /// <summary>What the revision changed, one line per change ("measure burglary: categories"), or "no change".</summary>
    public string Summary { get; set; } = "";
    public required string LoadedBy { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
}

/// <summary>A user belongs to a partnership's plan: they read its pages and, by their role, change its figures and actions.
/// Administrators reach every plan. Nobody reads or changes another partnership's unpublished figures, actions or analysis.</summary>
public class PlanMembership
{
    public int PlanId { get; set; }
    public Plan? Plan { get; set; }
    public required string UserId { get; set; }
}

/// <summary>One of the plan's strategic priorities (aims).</summary>
public class Priority
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public Plan? Plan { get; set; }
    /// <summary>Stable slug used in URLs.</summary>
    public required string Code { get; set; }
    public int SortOrder { get; set; }
    /// <summary>Short title for cards and navigation.</summary>
    public required string Title { get; set; }
    /// <summary>The strategic aim as the plan words it.</summary>
    public required string Aim { get; set; }
    /// <summary>Section 3 introduction.</summary>
    public string Introduction { get; set; } = "";
    /// <summary>"What our local data analysis tells us".</summary>
    public string Narrative { get; set; } = "";
    public List<Measure> Measures { get; set; } = [];
    public List<PriorityReview> Reviews { get; set; } = [];
    public List<PlanAction> Actions { get; set; } = [];
}

/// <summary>Section 2: the previous year's progress against a priority ("Actions, results, comment").</summary>
public class PriorityReview
{
    public int Id { get; set; }
    public int PriorityId { get; set; }
    public Priority? Priority { get; set; }
    public FinancialYear FinancialYear { get; set; }
    public int SortOrder { get; set; }
    public required string Heading { get; set; }
    /// <summary>One comment per line, as bullet points.</summary>
    public required string Comments { get; set; }
}
