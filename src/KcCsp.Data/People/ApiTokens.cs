using System.Security.Cryptography;
using System.Text;
using KcCsp.Data;
using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.People;

public sealed record ApiTokenView(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record NewApiToken(ApiTokenView Token, string Secret);

/// <summary>Personal access tokens for the JSON API: created by their owner, shown once, stored only as a hash.</summary>
public sealed class ApiTokens(KcCspDbContext db, UnitOfWork unit, TimeProvider clock)
{
    private const string TokenPrefix = "kccsp_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public async Task<IReadOnlyList<ApiTokenView>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(ct);
        return tokens.OrderByDescending(t => t.Id).Select(t => View(t, now)).ToList();
    }

    public async Task<NewApiToken> CreateAsync(PortalUser user, string name, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 120) throw new ArgumentException("Give the token a name of up to 120 characters, saying what it is for.", nameof(name));
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new ApiToken
        {
            UserId = user.Id, Name = name, Prefix = secret[..(TokenPrefix.Length + 4)], Hash = HashOf(secret), CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        await unit.RunAsync(user.UserName ?? user.Id, _ =>
        {
            db.ApiTokens.Add(token);
            return Task.CompletedTask;
        }, ct);
        return new NewApiToken(View(token, now), secret);
    }

    /// <summary>Revokes one of the user's own tokens; false when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == user.Id, ct);
        if (token is null) return false;
        if (token.RevokedAt is not null) return true;
        await unit.RunAsync(user.UserName ?? user.Id, _ =>
        {
            token.RevokedAt = clock.GetUtcNow();
            return Task.CompletedTask;
        }, ct);
        return true;
    }

    /// <summary>The active token with this secret, marked as used; null for an unknown, expired or revoked one.</summary>
    public async Task<ApiToken?> UseAsync(string secret, CancellationToken ct = default)
    {
        var hash = HashOf(secret);
        var token = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (token is null || !View(token, now).Active) return null;
        // Not audited (a save outside a unit of work). Recording every use would write on every API call; once a minute is enough to tell a live token from a dead one.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return token;
    }

    private static ApiTokenView View(ApiToken t, DateTimeOffset now) =>
        new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.RevokedAt is null && t.ExpiresAt > now);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

