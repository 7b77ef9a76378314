using System.CommandLine;
using KcCsp.Data.Partnerships;

namespace KcCsp.Web.Cli;

/// <summary>The command line's <c>--plan CODE</c>: which partnership's plan a verb reads (the first plan when not given).</summary>
internal static class CliPlan
{
    public static readonly Option<string?> Option = new("--plan")
    {
        Description = "The partnership's plan, by code (e.g. kc-2010-2013); the first plan loaded when not given.",
        Recursive = true,
    };

    /// <summary>Scopes the verb's services to the plan asked for; false (the message written) when there is no such plan.</summary>
    public static async Task<bool> ScopeAsync(IServiceProvider services, ParseResult parse, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<PlanScope>().ChooseForCommandAsync(parse.GetValue(Option), ct);
            return true;
        }
        catch (UnknownPlanException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return false;
        }
    }
}
