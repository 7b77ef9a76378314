using KcCsp.Data.Reporting;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Planning;

public sealed record UpdateView(int Id, DateOnly Date, string Status, int PercentComplete, string Commentary, string AuthorName, DateTimeOffset CreatedAt)
{
    /// <summary>One line for a spreadsheet or CSV cell.</summary>
    public string Summary => $"{Date:d MMM yyyy}: {Status}, {PercentComplete}% complete. {Commentary} ({AuthorName})";
}

public sealed record OwnerView(string Id, string Name, string Agency);

public sealed record ActionPageModel(
    int Id, string PriorityCode, string PriorityTitle, string Theme, string Text, string Detail, string LeadAgency,
    IReadOnlyList<OwnerView> Owners, DateOnly? DueDate, string Status, int PercentComplete, bool Overdue,
    IReadOnlyList<UpdateView> Updates, bool CanPostUpdate, bool CanEdit, UpdateForm NewUpdate);

public sealed record MyActionRow(int Id, string PriorityCode, string PriorityTitle, string Text, string LeadAgency, DateOnly? DueDate, string Status, int PercentComplete, bool Overdue, bool Mine, UpdateView? Latest);

public sealed record MyActionsModel(string Agency, IReadOnlyList<MyActionRow> Actions);

public sealed class UpdateForm
{
    public ActionStatus Status { get; set; }
    [Range(0, 100, ErrorMessage = "Percent complete must be between 0 and 100.")]
    public int PercentComplete { get; set; }
    [Required(ErrorMessage = "Say what has happened: commentary is required.")]
    [StringLength(4000)]
    public string Commentary { get; set; } = "";
    [Required(ErrorMessage = "Give the date of the update.")]
    public DateOnly? Date { get; set; }
}

public sealed class ActionForm
{
    [Required(ErrorMessage = "Choose the priority.")]
    public string PriorityCode { get; set; } = "";
    [StringLength(100)]
    public string? Theme { get; set; } = "";
    [Required(ErrorMessage = "Say what the action is.")]
    [StringLength(2000)]
    public string Text { get; set; } = "";
    public string? Detail { get; set; } = "";
    [Required(ErrorMessage = "Choose the lead agency.")]
    public string LeadAgency { get; set; } = "";
    public DateOnly? DueDate { get; set; }
    public ActionStatus Status { get; set; }
    [Range(0, 100, ErrorMessage = "Percent complete must be between 0 and 100.")]
    public int PercentComplete { get; set; }
    public List<string>? OwnerIds { get; set; } = [];
}

public sealed record ActionFormModel(int? Id, ActionForm Form, IReadOnlyList<(string Code, string Title)> Priorities, IReadOnlyList<OwnerView> People);

/// <summary>Actions, their owners and officers' progress updates.</summary>
public sealed class ActionPlanService(KcCspDbContext db, UserManager<PortalUser> users, UnitOfWork unit, TimeProvider clock)
{
    private DateOnly Today => KcCsp.Domain.Today.Of(clock);

    /// <summary>Analysts and admins update any action; officers those assigned to them or led by their agency.</summary>
    public static bool MayUpdate(PlanAction action, PortalUser user, ClaimsPrincipal principal) =>
        principal.IsInRole(Roles.Analyst) || principal.IsInRole(Roles.Admin)
        || (principal.IsInRole(Roles.Officer)
            && (action.Owners.Any(o => o.Id == user.Id) || (user.Agency.Length > 0 && string.Equals(action.LeadAgency, user.Agency, StringComparison.OrdinalIgnoreCase))));

    public async Task<ActionPageModel?> PageAsync(int id, ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var action = await db.Actions.AsNoTracking().Include(a => a.Priority).Include(a => a.Owners)
            .Include(a => a.Updates).AsSplitQuery().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (action is null) return null;
        var user = await users.GetUserAsync(principal);
        var updates = action.Updates.OrderByDescending(u => u.Date).ThenByDescending(u => u.Id).Select(View).ToList();
        return new ActionPageModel(action.Id, action.Priority!.Code, action.Priority.Title, action.Theme, action.Text, action.Detail,
            action.LeadAgency, action.Owners.Select(Owner).ToList(), action.DueDate, ActionStatusText.Word(action.Status), action.PercentComplete,
            ActionProgress.IsOverdue(action.DueDate, action.Status, Today), updates,
            user is not null && MayUpdate(action, user, principal),
            principal.IsInRole(Roles.Analyst) || principal.IsInRole(Roles.Admin),
            new UpdateForm { Status = action.Status, PercentComplete = action.PercentComplete, Date = Today });
    }

    public async Task<Result> PostUpdateAsync(int id, UpdateForm form, ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var action = await db.Actions.Include(a => a.Owners).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (action is null) return Result.NotFound;
        var user = await users.GetUserAsync(principal);
        if (user is null || !MayUpdate(action, user, principal)) return Result.Forbidden;
        if (form.Date is not { } date) return Result.Invalid("Give the date of the update.");

        await unit.RunAsync(principal.Identity!.Name!, _ =>
        {
            var update = new ActionUpdate
            {
                Action = action, Status = form.Status, PercentComplete = form.PercentComplete, Commentary = form.Commentary.Trim(),
                Date = date, AuthorId = user.Id, AuthorName = user.DisplayName.Length > 0 ? user.DisplayName : user.Email ?? "",
                CreatedAt = clock.GetUtcNow(),
            };
            db.ActionUpdates.Add(update);
            // The latest update is the action's current state.
            action.Status = form.Status;
            action.PercentComplete = form.Status == ActionStatus.Complete ? 100 : form.PercentComplete;
            update.PercentComplete = action.PercentComplete;
            return Task.CompletedTask;
        }, ct);
        return new Result(Outcome.Done, action.Id);
    }

    /// <summary>Actions assigned to the user or led by their agency, overdue first.</summary>
    public async Task<MyActionsModel> MineAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return new MyActionsModel("", []);
        var agency = user.Agency;
        var actions = await db.Actions.AsNoTracking().Include(a => a.Priority).Include(a => a.Owners).Include(a => a.Updates).AsSplitQuery()
            .Where(a => a.Owners.Any(o => o.Id == user.Id) || (agency != "" && a.LeadAgency == agency))
            .ToListAsync(ct);
        var today = Today;
        var rows = actions
            .Select(a => new MyActionRow(a.Id, a.Priority!.Code, a.Priority.Title, a.Text, a.LeadAgency, a.DueDate, ActionStatusText.Word(a.Status),
                a.PercentComplete, ActionProgress.IsOverdue(a.DueDate, a.Status, today), a.Owners.Any(o => o.Id == user.Id),
                a.Updates.OrderByDescending(u => u.Date).ThenByDescending(u => u.Id).Select(View).FirstOrDefault()))
            .OrderByDescending(r => r.Overdue).ThenBy(r => r.DueDate).ThenBy(r => r.PriorityCode).ThenBy(r => r.Id)
            .ToList();
        return new MyActionsModel(agency, rows);
    }

    public async Task<ActionFormModel?> FormAsync(int? id, string? priorityCode, CancellationToken ct = default)
    {
        ActionForm form;
        if (id is { } actionId)
        {
            var a = await db.Actions.AsNoTracking().Include(x => x.Priority).Include(x => x.Owners).SingleOrDefaultAsync(x => x.Id == actionId, ct);
            if (a is null) return null;
            form = new ActionForm
            {
                PriorityCode = a.Priority!.Code, Theme = a.Theme, Text = a.Text, Detail = a.Detail, LeadAgency = a.LeadAgency,
                DueDate = a.DueDate, Status = a.Status, PercentComplete = a.PercentComplete, OwnerIds = a.Owners.Select(o => o.Id).ToList(),
            };
        }
        else
        {
            form = new ActionForm { PriorityCode = priorityCode ?? "" };
        }
        return await FormModelAsync(id, form, ct);
    }

    public async Task<ActionFormModel> FormModelAsync(int? id, ActionForm form, CancellationToken ct = default)
    {
        var priorities = (await db.Priorities.AsNoTracking().OrderBy(p => p.SortOrder).Select(p => new { p.Code, p.Title }).ToListAsync(ct))
            .Select(p => (p.Code, p.Title)).ToList();
        var people = await db.Users.AsNoTracking().OrderBy(u => u.Agency).ThenBy(u => u.DisplayName)
            .Select(u => new OwnerView(u.Id, u.DisplayName, u.Agency)).ToListAsync(ct);
        return new ActionFormModel(id, form, priorities, people);
    }

    /// <summary>Adds (id null) or edits an action, its owners included.</summary>
    public async Task<Result> SaveAsync(int? id, ActionForm form, string who, CancellationToken ct = default)
    {
        var priority = await db.Priorities.SingleOrDefaultAsync(p => p.Code == form.PriorityCode, ct);
        if (priority is null) return Result.Invalid($"There is no priority '{form.PriorityCode}'.");
        var agency = Agencies.Find(form.LeadAgency);
        if (agency is null) return Result.Invalid($"Lead agency '{form.LeadAgency}' is not one of {string.Join(", ", Agencies.All)}.");
        var ownerIds = (form.OwnerIds ?? []).Where(o => !string.IsNullOrEmpty(o)).Distinct().ToList();
        var owners = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToListAsync(ct);
        if (owners.Count != ownerIds.Count) return Result.Invalid("One of the chosen owners does not exist.");

        PlanAction? action = null;
        var result = await unit.RunAsync(who, async ct =>
        {
            action = await db.EditOrAddAsync(id, q => q.Include(a => a.Owners), async ct =>
            {
                var order = await db.Actions.Where(a => a.PriorityId == priority.Id).Select(a => (int?)a.SortOrder).MaxAsync(ct) ?? 0;
                var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Id == priority.PlanId, ct);
                return new PlanAction { Text = form.Text, SortOrder = order + 1, FinancialYear = plan.ReportingYear.Next };
            }, ct);
            if (action is null) return Result.NotFound;
            action.Priority = priority;
            action.Theme = (form.Theme ?? "").Trim();
            action.Text = form.Text.Trim();
            action.Detail = (form.Detail ?? "").Trim();
            action.LeadAgency = agency;
            action.DueDate = form.DueDate;
            action.Status = form.Status;
            action.PercentComplete = form.PercentComplete;
            action.Owners.Clear();
            action.Owners.AddRange(owners);
            return new Result(Outcome.Done);
        }, ct);
        return result.Outcome == Outcome.Done ? result with { Id = action!.Id } : result;
    }

    private static OwnerView Owner(PortalUser u) => new(u.Id, u.DisplayName, u.Agency);

    public static UpdateView View(ActionUpdate u) =>
        new(u.Id, u.Date, ActionStatusText.Word(u.Status), u.PercentComplete, u.Commentary, u.AuthorName, u.CreatedAt);
}

public static class ActionStatusText
{
    public static string Word(ActionStatus status) => status switch
    {
        ActionStatus.NotStarted => "not started",
        ActionStatus.OnTrack => "on track",
        ActionStatus.AtRisk => "at risk",
        ActionStatus.OffTrack => "off track",
        ActionStatus.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
