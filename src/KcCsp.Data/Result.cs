namespace KcCsp.Data;

public enum Outcome { Done, NotFound, Forbidden, Invalid }

/// <summary>
/// What a use case that changes something answers: done (with the new record's id), not found, forbidden, or invalid
/// with the reasons. The web host turns it into HTTP in one place (<c>KcCsp.Web.Features.ResultHttp</c>); the CLI into exit codes.
/// </summary>
public sealed record Result(Outcome Outcome, int? Id = null, IReadOnlyList<string>? Errors = null)
{
    public static readonly Result NotFound = new(Outcome.NotFound);
    public static readonly Result Forbidden = new(Outcome.Forbidden);
    public static Result Invalid(params string[] errors) => new(Outcome.Invalid, null, errors);
}
