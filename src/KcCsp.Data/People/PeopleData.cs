using System.Security.Cryptography;
using KcCsp.Data.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KcCsp.Data.People;

public static class PeopleData
{
    /// <summary>
    /// Users and roles on the portal's own database, with the password and lockout rules. The portal adds sign-in
    /// (cookies) on top; the CLI uses these alone to create users.
    /// </summary>
    public static IdentityBuilder AddPeopleData(this IServiceCollection services)
    {
        services.AddSingleton<AuditInterceptor>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<UserAdminService>();
        services.AddSingleton<SessionStamps>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<ApiTokens>();
        services.AddScoped<PeopleSeeder>();
        services.AddScoped<UserCreation>();
        return services.AddIdentityCore<PortalUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KcCspDbContext>();
    }

    public static void ConfigureIdentity(IdentityOptions o)
    {
        // Long passwords beat clever ones; twelve characters with the usual mix is the floor.
        o.Password.RequiredLength = 12;
        o.Password.RequiredUniqueChars = 5;
        o.Password.RequireDigit = true;
        o.Password.RequireLowercase = true;
        o.Password.RequireUppercase = true;
        o.Password.RequireNonAlphanumeric = true;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
    }

    /// <summary>A random password that meets the policy: 20 characters with every required kind.</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "-_!@#%+=?";
        const string all = upper + lower + digits + symbols;
        var chars = new List<char>
        {
            upper[RandomNumberGenerator.GetInt32(upper.Length)], lower[RandomNumberGenerator.GetInt32(lower.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)], symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 20) chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        return new string(chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray());
    }

    /// <summary>What the audit trail keeps of a user: never a password or its hash.</summary>
    /// <param name="now">Now, by the one clock: whether the user is locked out at this moment.</param>
    public static object Snapshot(PortalUser user, string? role, DateTimeOffset now) => new
    {
        user.Email, user.DisplayName, user.Agency, Role = role,
        LockedOut = user.LockoutEnd is { } end && end > now,
    };
}

/// <param name="Plans">Codes of the partnerships' plans the user belongs to; none: the plan in scope (the administrator's), else the first plan.</param>
public sealed record NewUser(string Email, string Role, string Agency, string DisplayName, string Password, IReadOnlyList<string>? Plans = null);

/// <summary>Creates a user with one role, recording it in the audit trail: shared by the admin page, the CLI and the seed.</summary>
public sealed class UserCreation(UserManager<PortalUser> users, UnitOfWork unit, KcCspDbContext db, TimeProvider clock)
{
    /// <returns>The new user, or the reasons it could not be created.</returns>
    public async Task<(PortalUser? User, IReadOnlyList<string> Errors)> CreateAsync(NewUser request, string who)
    {
        var role = Roles.Find(request.Role);
        if (role is null) return (null, [$"Role '{request.Role}' is not one of {string.Join(", ", Roles.All)}."]);
        var agency = string.IsNullOrWhiteSpace(request.Agency) ? "" : Agencies.Find(request.Agency);
        if (agency is null) return (null, [$"Agency '{request.Agency}' is not one of {string.Join(", ", Agencies.All)}."]);
        var codes = request.Plans?.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Id, p.Code }).ToListAsync();
        var unknown = codes.Where(c => !plans.Any(p => string.Equals(p.Code, c, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0) return (null, [$"There is no plan with the code '{unknown[0]}'. The plans are: {string.Join(", ", plans.Select(p => p.Code))}."]);
        var planIds = codes.Count > 0
            ? plans.Where(p => codes.Contains(p.Code, StringComparer.OrdinalIgnoreCase)).Select(p => p.Id).ToList()
            : db.PlanScopeId is { } scoped ? [scoped] : plans.Take(1).Select(p => p.Id).ToList();
        var email = request.Email.Trim();
        var user = new PortalUser
        {
            UserName = email, Email = email, EmailConfirmed = true, Agency = agency,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
        };
        // Identity saves a user and their role in saves of its own, so the unit records the creation as one operation.
        var result = await unit.RunAsync(who, async _ =>
        {
            var created = await users.CreateAsync(user, request.Password);
            if (!created.Succeeded) return Result.Invalid(created.Errors.Select(e => e.Description).ToArray());
            var added = await users.AddToRoleAsync(user, role);
            if (!added.Succeeded) return Result.Invalid(added.Errors.Select(e => e.Description).ToArray());
            foreach (var planId in planIds) db.PlanMemberships.Add(new PlanMembership { PlanId = planId, UserId = user.Id });
            unit.Record("created", "User", user.Id, null, PeopleData.Snapshot(user, role, clock.GetUtcNow()));
            return new Result(Outcome.Done);
        });
        return result.Outcome == Outcome.Done ? (user, []) : (null, result.Errors ?? []);
    }
}

/// <summary>The four roles everywhere; in Development, one demo user per role (the README says so).</summary>
public sealed class PeopleSeeder(RoleManager<IdentityRole> roles, UserManager<PortalUser> users, UserCreation creation, ILogger<PeopleSeeder> logger)
{
    public const string DemoPassword = "Demo-pass-2010!";

    public static readonly IReadOnlyList<(string Email, string Role, string Agency, string Name)> DemoUsers =
    [
        ("board@kccsp.local", Roles.Board, "Community Safety Partnership", "Demo board member"),
        ("analyst@kccsp.local", Roles.Analyst, "Community Safety Partnership", "Demo analyst"),
        ("officer@kccsp.local", Roles.Officer, "Police", "Demo officer"),
        ("admin@kccsp.local", Roles.Admin, "Council", "Demo administrator"),
    ];

    public async Task SeedAsync(bool demoUsers, CancellationToken ct = default)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
        if (!demoUsers) return;
        foreach (var (email, role, agency, name) in DemoUsers)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var (_, errors) = await creation.CreateAsync(new NewUser(email, role, agency, name, DemoPassword), "seed");
            if (errors.Count > 0) throw new InvalidOperationException($"Could not seed demo user {email}: {string.Join(" ", errors)}");
            logger.LogInformation("Seeded demo user {Email} ({Role})", email, role);
        }
    }
}
