using System.ComponentModel.DataAnnotations;
using KcCsp.Data;
using KcCsp.Data.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.People;

public sealed class NewUserInput
{
    [Required(ErrorMessage = "Give the email address.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    public string Email { get; set; } = "";
    public string? DisplayName { get; set; } = "";
    [Required(ErrorMessage = "Choose a role.")]
    public string Role { get; set; } = Roles.Board;
    public string? Agency { get; set; } = "";
}

public sealed class UserChangeInput
{
    [Required(ErrorMessage = "Choose a role.")]
    public string Role { get; set; } = "";
    public string? Agency { get; set; } = "";
    public string? DisplayName { get; set; } = "";
    /// <summary>Codes of the partnerships' plans the user belongs to; null (the form shows no choice when there is one
    /// plan) leaves them as they are.</summary>
    public List<string>? Plans { get; set; }
}

public sealed record UserRow(string Id, string Email, string DisplayName, string Agency, string Role, bool LockedOut, int FailedSignIns)
{
    /// <summary>Codes of the plans the user belongs to.</summary>
    public IReadOnlyList<string> Plans { get; init; } = [];
}

/// <summary>A plan as the users page offers it.</summary>
public sealed record PlanName(string Code, string Partnership);

public sealed record UsersModel(IReadOnlyList<UserRow> Users, NewUserInput NewUser)
{
    /// <summary>Every plan: with more than one, each user's partnerships can be chosen.</summary>
    public IReadOnlyList<PlanName> Plans { get; init; } = [];
}

/// <summary>Administrators' view of users: create, change role or agency, lock and unlock. Every change is audited.</summary>
/// <remarks>
/// Identity's UserManager saves a user, their roles and their security stamp in saves of its own, so each of these
/// operations runs in one <see cref="UnitOfWork"/> and records itself as one entry (updated, locked, unlocked) with the
/// user as they were and are: their role is not a column of the user.
/// </remarks>
public sealed class UserAdminService(UserManager<PortalUser> users, KcCspDbContext db, UserCreation creation, UnitOfWork unit, TimeProvider clock)
{
    public async Task<UsersModel> ListAsync(CancellationToken ct = default)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roleNames = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var memberships = await (from m in db.PlanMemberships join p in db.Plans on m.PlanId equals p.Id select new { m.UserId, p.Code }).ToListAsync(ct);
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Id).Select(p => new PlanName(p.Code, p.Partnership)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var rows = all.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, u.Agency,
            string.Join(", ", roleNames.Where(r => r.UserId == u.Id).Select(r => r.Name)),
            u.LockoutEnd is { } end && end > now, u.AccessFailedCount) { Plans = memberships.Where(m => m.UserId == u.Id).Select(m => m.Code).ToList() }).ToList();
        return new UsersModel(rows, new NewUserInput()) { Plans = plans };
    }

    /// <summary>
    /// A user's own new password: Identity checks the current one and the policy and renews the security stamp (signing
    /// out their other sessions); the change is recorded as one entry, without the password.
    /// </summary>
    public async Task<IdentityResult> ChangePasswordAsync(PortalUser user, string currentPassword, string newPassword)
    {
        IdentityResult? changed = null;
        await unit.RunAsync(user.Email ?? user.Id, async _ =>
        {
            changed = await users.ChangePasswordAsync(user, currentPassword, newPassword);
            if (!changed.Succeeded) return Result.Invalid();
            unit.Record("changed password", "User", user.Id, null, null);
            return new Result(Outcome.Done);
        });
        return changed!;
    }

    /// <returns>The generated password, shown once, or the reasons the user could not be created.</returns>
    public async Task<(string? Password, IReadOnlyList<string> Errors)> CreateAsync(NewUserInput input, string who)
    {
        var password = PeopleData.GeneratePassword();
        var (user, errors) = await creation.CreateAsync(new NewUser(input.Email, input.Role, input.Agency ?? "", input.DisplayName ?? "", password), who);
        return user is null ? (null, errors) : (password, []);
    }

    public async Task<Result> ChangeAsync(string id, UserChangeInput input, string who)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return Result.NotFound;
        var role = Roles.Find(input.Role);
        if (role is null) return Result.Invalid($"Role '{input.Role}' is not one of {string.Join(", ", Roles.All)}.");
        var agency = string.IsNullOrWhiteSpace(input.Agency) ? "" : Agencies.Find(input.Agency);
        if (agency is null) return Result.Invalid($"Agency '{input.Agency}' is not one of {string.Join(", ", Agencies.All)}.");
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await KeepsAnAdministratorAsync(user, who, "take the Admin role from") is { } refused)
            return refused;
        var before = PeopleData.Snapshot(user, string.Join(", ", current), clock.GetUtcNow());
        var plans = await db.Plans.AsNoTracking().Select(p => new { p.Id, p.Code }).ToListAsync();
        var wanted = input.Plans?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        if (wanted is not null)
        {
            var unknown = wanted.FirstOrDefault(c => !plans.Any(p => string.Equals(p.Code, c, StringComparison.OrdinalIgnoreCase)));
            if (unknown is not null) return Result.Invalid($"There is no plan with the code '{unknown}'.");
            if (wanted.Count == 0 && role != Roles.Admin) return Result.Invalid("Choose at least one partnership: a user who belongs to none can open no page.");
        }

        return await unit.RunAsync(who, async ct =>
        {
            if (wanted is not null)
            {
                var ids = plans.Where(p => wanted.Contains(p.Code, StringComparer.OrdinalIgnoreCase)).Select(p => p.Id).ToHashSet();
                var existing = await db.PlanMemberships.Where(m => m.UserId == user.Id).ToListAsync(ct);
                db.PlanMemberships.RemoveRange(existing.Where(m => !ids.Contains(m.PlanId)));
                foreach (var id in ids.Where(id => !existing.Any(m => m.PlanId == id)))
                    db.PlanMemberships.Add(new PlanMembership { PlanId = id, UserId = user.Id });
            }
            user.Agency = agency;
            if (!string.IsNullOrWhiteSpace(input.DisplayName)) user.DisplayName = input.DisplayName.Trim();
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return Result.Invalid(updated.Errors.Select(e => e.Description).ToArray());
            if (!current.SequenceEqual([role]))
            {
                await users.RemoveFromRolesAsync(user, current);
                await users.AddToRoleAsync(user, role);
                // Sign the user out everywhere so the new role takes effect at once.
                await users.UpdateSecurityStampAsync(user);
            }
            unit.Record("updated", "User", user.Id, before, PeopleData.Snapshot(user, role, clock.GetUtcNow()));
            return new Result(Outcome.Done);
        });
    }

    /// <summary>
    /// Nobody locks or demotes themselves (they would lose the page they are on), and the last administrator who is
    /// not locked stays one: without them nobody could manage users again short of the command line.
    /// </summary>
    /// <returns>Why the change is refused, or null when it may go ahead.</returns>
    private async Task<Result?> KeepsAnAdministratorAsync(PortalUser user, string who, string change, bool isAdmin = true)
    {
        if (string.Equals(user.UserName, who, StringComparison.OrdinalIgnoreCase))
            return Result.Invalid($"You cannot {change} yourself; another administrator can.");
        if (!isAdmin) return null;
        var now = clock.GetUtcNow();
        var otherActiveAdmins = (await users.GetUsersInRoleAsync(Roles.Admin))
            .Count(u => u.Id != user.Id && !(u.LockoutEnd is { } end && end > now));
        return otherActiveAdmins == 0
            ? Result.Invalid($"You cannot {change} {user.Email}: they are the only administrator who is not locked. Make another administrator first.")
            : null;
    }

    public async Task<Result> SetLockedAsync(string id, bool locked, string who)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return Result.NotFound;
        var roles = await users.GetRolesAsync(user);
        if (locked && await KeepsAnAdministratorAsync(user, who, "lock", isAdmin: roles.Contains(Roles.Admin)) is { } refused) return refused;
        var role = string.Join(", ", roles);
        var before = PeopleData.Snapshot(user, role, clock.GetUtcNow());
        return await unit.RunAsync(who, async _ =>
        {
            if (locked)
            {
                await users.SetLockoutEnabledAsync(user, true);
                await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
                await users.UpdateSecurityStampAsync(user);
            }
            else
            {
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
            }
            unit.Record(locked ? "locked" : "unlocked", "User", user.Id, before, PeopleData.Snapshot(user, role, clock.GetUtcNow()));
            return new Result(Outcome.Done);
        });
    }
}

public sealed record AuditFilter(string? User, string? Entity, DateOnly? From, DateOnly? To, string? Key = null);

public sealed record AuditRow(long Id, DateTime At, string User, string Action, string Entity, string Key, string? Before, string? After);

public sealed record AuditModel(AuditFilter Filter, IReadOnlyList<AuditRow> Entries, IReadOnlyList<string> Entities, IReadOnlyList<string> Users, int Limit);

/// <summary>The audit trail, newest first, filtered by user, kind of record and date range.</summary>
public sealed class AuditQuery(KcCspDbContext db)
{
    public const int Limit = 500;

    public async Task<AuditModel> FindAsync(AuditFilter filter, CancellationToken ct = default)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.User)) q = q.Where(a => a.User == filter.User);
        if (!string.IsNullOrWhiteSpace(filter.Entity)) q = q.Where(a => a.Entity == filter.Entity);
        if (!string.IsNullOrWhiteSpace(filter.Key)) q = q.Where(a => a.Key == filter.Key);
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(a => a.At < end);
        }
        var entries = await q.OrderByDescending(a => a.Id).Take(Limit)
            .Select(a => new AuditRow(a.Id, a.At, a.User, a.Action, a.Entity, a.Key, a.Before, a.After)).ToListAsync(ct);
        var entities = await db.AuditEntries.Select(a => a.Entity).Distinct().OrderBy(e => e).ToListAsync(ct);
        var users = await db.AuditEntries.Select(a => a.User).Distinct().OrderBy(e => e).ToListAsync(ct);
        return new AuditModel(filter, entries, entities, users, Limit);
    }
}
