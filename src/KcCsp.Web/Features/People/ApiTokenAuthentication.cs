using System.Text.Encodings.Web;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features.People;

/// <summary>
/// `Authorization: Bearer kccsp_…` on a request: the token's user, with their roles, as for a signed-in session.
/// Only the JSON API and its OpenAPI document accept tokens; pages need the sign-in cookie.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, SignInManager<PortalUser> signIn) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var secret)) return AuthenticateResult.NoResult();
        var token = await tokens.UseAsync(secret, Context.RequestAborted);
        if (token?.User is not { } user) return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        if (await signIn.UserManager.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The token's user is locked out.");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
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
