using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Partnerships;

/// <summary>A partnership's plan as the picker lists it.</summary>
public sealed record PlanOption(int Id, string Code, string Partnership, string Title, string Years, string Area);

public sealed class UnknownPlanException(string code, IEnumerable<string> known)
    : Reporting.BadParameterException("plan", $"There is no plan with the code '{code}'. The plans are: {string.Join(", ", known)}.");

/// <summary>
/// Which partnership's plan a request, a command or a report build reads: chosen once per unit of work, it scopes the
/// <see cref="KcCspDbContext"/> (<see cref="KcCspDbContext.PlanScopeId"/>) so that every later query sees that plan's
/// measures, priorities, actions, figures, targets and published analyses only. A user reaches the plans they belong to
/// (<see cref="PlanMembership"/>); administrators reach every plan.
/// </summary>
public sealed class PlanScope(KcCspDbContext db, PlanDirectory directory)
{
    /// <summary>The plan in scope once <see cref="ChooseAsync"/> or <see cref="ChooseForCommandAsync"/> has run.</summary>
    public PlanOption? Current { get; private set; }

    /// <summary>The plans the user may switch to (the picker), in the order they were loaded.</summary>
    public IReadOnlyList<PlanOption> Choosable { get; private set; } = [];

    /// <summary>
    /// Chooses the plan for a signed-in (or anonymous) request: the one asked for (a query's <c>plan</c>, the picker's
    /// cookie), else the user's first plan, else the first plan. Answers forbidden when the user does not belong to the
    /// plan asked for, not found when no plan has that code; the scope is then left unset.
    /// </summary>
    public async Task<Result> ChooseAsync(string? code, string? userId, bool everyPlan, CancellationToken ct = default)
    {
        var plans = (await directory.PlansAsync(ct))
            .Select(p => new { Option = p.Plan, Member = userId != null && p.Members.Contains(userId) }).ToList();
        if (plans.Count == 0) return new Result(Outcome.Done);
        var reachable = plans.Where(p => everyPlan || p.Member).Select(p => p.Option).ToList();
        Choosable = reachable;
        PlanOption? chosen;
        if (!string.IsNullOrWhiteSpace(code))
        {
            var asked = plans.FirstOrDefault(p => string.Equals(p.Option.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
            if (asked is null) return new Result(Outcome.NotFound, null, [$"There is no plan with the code '{code.Trim()}'."]);
            if (userId is not null && !reachable.Contains(asked.Option)) return new Result(Outcome.Forbidden, null, [$"You do not belong to {asked.Option.Partnership}: ask an administrator to add you to its plan."]);
            chosen = asked.Option;
        }
        else
        {
            chosen = reachable.FirstOrDefault() ?? (userId is null ? plans[0].Option : null);
            if (chosen is null) return new Result(Outcome.Forbidden, null, ["You do not belong to any partnership's plan yet: ask an administrator to add you to one."]);
        }
        Scope(chosen);
        return new Result(Outcome.Done, chosen.Id);
    }

    /// <summary>The command line's <c>--plan CODE</c>, or the first plan when none is given.</summary>
    public async Task<PlanOption?> ChooseForCommandAsync(string? code, CancellationToken ct = default)
    {
        var plans = (await directory.PlansAsync(ct)).Select(e => e.Plan).ToList();
        Choosable = plans;
        if (plans.Count == 0) return null;
        var chosen = string.IsNullOrWhiteSpace(code)
            ? plans[0]
            : plans.FirstOrDefault(p => string.Equals(p.Code, code.Trim(), StringComparison.OrdinalIgnoreCase))
              ?? throw new UnknownPlanException(code.Trim(), plans.Select(p => p.Code));
        Scope(chosen);
        return chosen;
    }

    /// <summary>Scopes to a plan already known (a report build for the plan in its key).</summary>
    public void Scope(PlanOption plan)
    {
        Current = plan;
        db.ScopeToPlan(plan.Id);
    }
}
