using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Features.People;

/// <summary>Sign-in, roles, anti-forgery and security headers for the portal.</summary>
public static class PeopleSetup
{
    public static void AddPeople(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        // Users, roles, password and lockout rules come from the data layer (AddKcCspData); sign-in adds cookies.
        services.AddIdentityCore<PortalUser>(PeopleData.ConfigureIdentity).AddSignInManager().AddDefaultTokenProviders();
        // The API and its OpenAPI document also take personal access tokens (Authorization: Bearer …); everything
        // else, and any request without a bearer token, uses the sign-in cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "Portal";
                o.DefaultChallengeScheme = "Portal";
            })
            .AddPolicyScheme("Portal", "Cookie, or an API token on the API", o => o.ForwardDefaultSelector = ctx =>
                IsMachineEndpoint(ctx.Request.Path) && ApiTokenAuthentication.TryReadBearer(ctx.Request, out _)
                    ? ApiTokenAuthentication.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthentication().AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.Cookie.Name = "kccsp.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            // An absolute lifetime: a session ends this long after sign-in, however busy (Sessions:Lifetime, default 8 hours).
            o.ExpireTimeSpan = builder.Configuration.GetValue("Sessions:Lifetime", TimeSpan.FromHours(8));
            o.SlidingExpiration = false;
            // Every request checks the cookie's security stamp against the user's, by primary key: signing out, a
            // lock or a role change (each renews the stamp) ends every copy of the cookie at once, on every instance.
            o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
            // A signed-in user without the role gets a plain 403 page, not a redirect to a sign-in form they have passed.
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            // Scripts and Power BI calling the API get 401, not a redirect to an HTML form.
            o.Events.OnRedirectToLogin = ctx =>
            {
                if (IsMachineEndpoint(ctx.Request.Path)) ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else ctx.Response.Redirect(ctx.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "kccsp.antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        // Every unsafe request (POST, PUT, DELETE) to a controller must carry a valid anti-forgery token.
        services.Configure<MvcOptions>(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
        services.AddAuthorization(Policies.Add);
    }

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    /// <summary>Headers on every response, static files included: call before anything that may answer.</summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        app.Use((ctx, next) =>
        {
            ctx.Response.OnStarting(() =>
            {
                var h = ctx.Response.Headers;
                h.ContentSecurityPolicy = ContentSecurityPolicy;
                h.XContentTypeOptions = "nosniff";
                h["Referrer-Policy"] = "strict-origin-when-cross-origin";
                h.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
            return next(ctx);
        });
    }

    /// <summary>Authentication and authorization: after routing, before the endpoints.</summary>
    public static void UsePeople(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>The JSON API and its OpenAPI document answer machines, which want status codes rather than pages.</summary>
    public static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
}
