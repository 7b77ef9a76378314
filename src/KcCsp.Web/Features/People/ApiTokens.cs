using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features.People;

public sealed record ApiTokenView(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record NewApiToken(ApiTokenView Token, string Secret);

/// <summary>Personal access tokens for the JSON API: created by their owner, shown once, stored only as a hash.</summary>
public sealed class ApiTokens(KcCspDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const string Scheme = "ApiToken";
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
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        audit.Record(user.UserName ?? user.Id, "created", nameof(ApiToken), token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            new { token.Name, token.Prefix, User = user.UserName, token.ExpiresAt });
        await db.SaveChangesAsync(ct);
        return new NewApiToken(View(token, now), secret);
    }

    /// <summary>Revokes one of the user's own tokens; false when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == user.Id, ct);
        if (token is null) return false;
        if (token.RevokedAt is not null) return true;
        token.RevokedAt = clock.GetUtcNow();
        audit.Record(user.UserName ?? user.Id, "revoked", nameof(ApiToken), token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { token.Name, token.Prefix, Revoked = false }, new { token.Name, token.Prefix, Revoked = true });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The active token with this secret, marked as used; null for an unknown, expired or revoked one.</summary>
    public async Task<ApiToken?> UseAsync(string secret, CancellationToken ct = default)
    {
        var hash = HashOf(secret);
        var token = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (token is null || !View(token, now).Active) return null;
        // Recording every use would write on every API call; once a minute is enough to tell a live token from a dead one.
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

/// <summary>
/// `Authorization: Bearer kccsp_…` on a request: the token's user, with their roles, as for a signed-in session.
/// Only the JSON API and its OpenAPI document accept tokens; pages need the sign-in cookie.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, SignInManager<PortalUser> signIn) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var secret)) return AuthenticateResult.NoResult();
        var token = await tokens.UseAsync(secret, Context.RequestAborted);
        if (token?.User is not { } user) return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        if (await signIn.UserManager.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The token's user is locked out.");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiTokens.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"kccsp\"";
        return Task.CompletedTask;
    }

    public static bool TryReadBearer(HttpRequest request, out string secret)
    {
        secret = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        secret = header["Bearer ".Length..].Trim();
        return secret.Length > 0;
    }
}
