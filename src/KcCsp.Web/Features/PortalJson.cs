using System.Text.Json;
using System.Text.Json.Serialization;

namespace KcCsp.Web.Features;

/// <summary>
/// The one set of JSON options for what the portal hands to people and programs: the CLI's `--json` output and the
/// `/api` responses. Sharing the instance is what keeps the API's comparison identical, field for field, to the CLI's.
/// </summary>
public static class PortalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
