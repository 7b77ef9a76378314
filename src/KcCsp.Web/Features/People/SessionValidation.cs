using System.Security.Claims;
using KcCsp.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KcCsp.Web.Features.People;

/// <summary>
/// A sign-in cookie is good only while the user's security stamp is the one it was issued with. Signing out, being
/// locked by an administrator, a role change and a password change all renew the stamp, so every copy of an older
/// cookie (another tab, another browser, a copied cookie, another instance) stops working at once.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var claims = context.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        string? current = null;
        if (userId is not null)
        {
            current = await context.HttpContext.RequestServices.GetRequiredService<SessionStamps>().CurrentAsync(userId, context.HttpContext.RequestAborted);
        }
        if (current is null || stamp is null || current != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
