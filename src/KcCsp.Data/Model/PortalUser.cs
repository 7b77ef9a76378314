using Microsoft.AspNetCore.Identity;

namespace KcCsp.Data.Model;

/// <summary>Someone who signs in: a board member, analyst, officer or administrator, from one of the partner agencies.</summary>
public class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    /// <summary>The partner agency the user works for; officers update the actions their agency leads.</summary>
    public string Agency { get; set; } = "";
    public List<PlanAction> OwnedActions { get; set; } = [];
}

/// <summary>The four roles. Each user has one.</summary>
public static class Roles
{
    public const string Board = "Board";
    public const string Analyst = "Analyst";
    public const string Officer = "Officer";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Board, Analyst, Officer, Admin];

    /// <summary>The role as spelt here, whatever the case it was typed in; null when it is not one.</summary>
    public static string? Find(string? name) => All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The partner agencies, as the plan names them as lead agencies of its actions.</summary>
public static class Agencies
{
    public static readonly IReadOnlyList<string> All =
        ["Police", "Council", "Probation", "Youth Offending Team", "Health", "Community Safety Partnership"];

    public static string? Find(string? name) => All.FirstOrDefault(a => string.Equals(a, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
