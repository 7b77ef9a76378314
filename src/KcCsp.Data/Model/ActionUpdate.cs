namespace KcCsp.Data.Model;

/// <summary>An officer's word on an action's progress. Kept for ever: the history is the action's record.</summary>
public class ActionUpdate
{
    public int Id { get; set; }
    public int ActionId { get; set; }
    public PlanAction? Action { get; set; }
    public ActionStatus Status { get; set; }
    public int PercentComplete { get; set; }
    public string Commentary { get; set; } = "";
    /// <summary>The date the update describes (as the officer gives it).</summary>
    public DateOnly Date { get; set; }
    public string? AuthorId { get; set; }
    public PortalUser? Author { get; set; }
    /// <summary>The author's name at the time, so the history reads the same if the account goes.</summary>
    public string AuthorName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One change to the partnership's records: who made it, when, to what, and the record before and after (JSON).
/// Append-only: the context refuses to modify or delete these rows.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }
    /// <summary>UTC. A DateTime rather than a DateTimeOffset so that every provider (SQLite too) can filter and sort by it.</summary>
    public DateTime At { get; set; }
    /// <summary>The signed-in user's name (email), or "cli"/"seed" for changes made outside the portal.</summary>
    public required string User { get; set; }
    /// <summary>created, updated, deleted, or a verb of the entity's own (locked, uploaded...).</summary>
    public required string Action { get; set; }
    /// <summary>The kind of record: PlanAction, ActionUpdate, Target, Measure, Figure, User, ...</summary>
    public required string Entity { get; set; }
    public required string Key { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}
