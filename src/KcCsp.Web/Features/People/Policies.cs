using KcCsp.Data.Model;
using Microsoft.AspNetCore.Authorization;

namespace KcCsp.Web.Features.People;

/// <summary>
/// Who may do what, in one place. Reading needs only a signed-in user (the fallback policy); these name the rest.
/// Controllers say [Authorize(Policy = Policies.X)].
/// </summary>
public static class Policies
{
    /// <summary>Imports, category mappings, measures, targets, populations, manual figures.</summary>
    public const string Analysts = nameof(Analysts);
    /// <summary>Adding, editing and assigning actions.</summary>
    public const string ActionPlanners = nameof(ActionPlanners);
    /// <summary>Posting progress updates; officers only to actions assigned to them or their agency (checked per action).</summary>
    public const string ProgressUpdaters = nameof(ProgressUpdaters);
    /// <summary>Users and roles, the audit trail, the jobs dashboard.</summary>
    public const string Admins = nameof(Admins);

    public static void Add(AuthorizationOptions o)
    {
        // Every page and API needs a signed-in user unless it says [AllowAnonymous] (sign-in, /health, error pages).
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        o.AddPolicy(Analysts, p => p.RequireRole(Roles.Analyst));
        o.AddPolicy(ActionPlanners, p => p.RequireRole(Roles.Analyst, Roles.Admin));
        o.AddPolicy(ProgressUpdaters, p => p.RequireRole(Roles.Officer, Roles.Analyst, Roles.Admin));
        o.AddPolicy(Admins, p => p.RequireRole(Roles.Admin));
    }
}
