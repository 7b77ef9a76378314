using System.Text.Json;
using System.Text.Json.Serialization;

namespace KcCsp.Data.Seed;

/// <summary>Reads the seed files embedded from Seed/ (areas, categories, peer groups). The plan itself is a plan file (plans/).</summary>
internal static class PlanSeedFile
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

internal sealed record AreaSeedFile(List<AreaSeed> Areas);

internal sealed record AreaSeed(string? Code, string Name, string Kind, bool InLondonRanking, string? Force = null);

internal sealed record PeerGroupSeedFile(List<PeerGroupSeed> PeerGroups);

internal sealed record PeerGroupSeed(string Name, string Description, bool IsDefault, List<string> Members);
