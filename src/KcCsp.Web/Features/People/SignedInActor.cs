namespace KcCsp.Web.Features.People;

/// <summary>The signed-in user, for use cases that record who acted without being told (population loads).</summary>
public sealed class SignedInActor(IHttpContextAccessor http) : KcCsp.Data.People.IActor
{
    public string? Name => http.HttpContext?.User.Identity?.Name;

    public static void AddTo(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<KcCsp.Data.People.IActor, SignedInActor>();
    }
}
