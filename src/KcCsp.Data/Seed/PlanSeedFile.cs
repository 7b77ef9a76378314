using System.Text.Json;
using System.Text.Json.Serialization;

namespace KcCsp.Data.Seed;

// The shape of Seed/plan.json and Seed/areas.json: a readable transcription of the plan document.
internal sealed record PlanSeedFile(
    string Code, string Title, string Partnership, string Years, string HomeArea,
    string ReportingYear, int ReportingToMonth, string PublishedSource,
    string ExecutiveSummary, string AboutThePlan,
    List<PrioritySeed> Priorities, List<MeasureSeed> OtherMeasures,
    string ActionsYear, DateOnly ActionsDue, List<TargetSeed> Targets)
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static T Load<T>(string name)
    {
        var resource = $"KcCsp.Data.Seed.{name}";
        using var stream = typeof(PlanSeedFile).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Seed resource {resource} is missing from the assembly.");
        return JsonSerializer.Deserialize<T>(stream, Options)
            ?? throw new InvalidOperationException($"Seed resource {resource} is empty.");
    }
}

internal sealed record PrioritySeed(
    string Code, string Title, string Aim, string Introduction, string Narrative,
    List<ReviewSeed> Reviews, List<MeasureSeed> Measures, List<ActionSeed> Actions);

internal sealed record ReviewSeed(string Heading, List<string> Comments);

internal sealed record MeasureSeed(
    string Code, string Name, string? Description, string Unit, string Polarity, string Source,
    bool Headline, string? RateOf, PublishedSeed? Published);

/// <summary>A Section 2 row: both years' figures for April to <see cref="ToMonth"/>, the rank and the verdict as printed.</summary>
internal sealed record PublishedSeed(decimal Previous, decimal Current, int? ToMonth, string LondonRank, string MeetingTarget);

internal sealed record ActionSeed(string Theme, string Text, string? Detail, string LeadAgency);

internal sealed record TargetSeed(string Set, string Year, string Measure, string Form, decimal Value, string AsPrinted);

internal sealed record AreaSeedFile(List<AreaSeed> Areas);

internal sealed record AreaSeed(string? Code, string Name, string Kind, bool InLondonRanking, string? Force = null);

internal sealed record PeerGroupSeedFile(List<PeerGroupSeed> PeerGroups);

internal sealed record PeerGroupSeed(string Name, string Description, bool IsDefault, List<string> Members);
