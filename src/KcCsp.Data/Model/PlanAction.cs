using KcCsp.Domain;

namespace KcCsp.Data.Model;

public enum ActionStatus { NotStarted, OnTrack, AtRisk, OffTrack, Complete }

/// <summary>An action the partnership agreed under a priority (Section 3's headline priorities).</summary>
public class PlanAction
{
    public int Id { get; set; }
    public int PriorityId { get; set; }
    public Priority? Priority { get; set; }
    /// <summary>Early Intervention, Situational Prevention, Enforcement, Reducing Re-offending, or the plan's general list.</summary>
    public string Theme { get; set; } = "";
    public required string Text { get; set; }
    public string Detail { get; set; } = "";
    public string LeadAgency { get; set; } = "";
    public FinancialYear FinancialYear { get; set; }
    public DateOnly? DueDate { get; set; }
    public ActionStatus Status { get; set; }
    public int PercentComplete { get; set; }
    public int SortOrder { get; set; }
    /// <summary>The people assigned to the action, beside its lead agency; they may post its progress updates.</summary>
    public List<PortalUser> Owners { get; set; } = [];
    public List<ActionUpdate> Updates { get; set; } = [];
}
