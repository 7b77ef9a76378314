using System.Text.Json;
using System.Text.Json.Serialization;
using KcCsp.Data.Model;

namespace KcCsp.Data.People;

/// <summary>
/// The shape of one audit row. Rows are written only by a <see cref="UnitOfWork"/>: entries for changed records by
/// <see cref="AuditInterceptor"/>, entries for operations through <see cref="UnitOfWork.Record"/>; either way in the same
/// transaction as the change, so a change and its record stand or fall together.
/// </summary>
public static class AuditTrail
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <param name="at">When (UTC).</param>
    /// <param name="who">The user's name (email), or "cli" / "seed".</param>
    /// <param name="what">created, updated, deleted, or a verb of the record's own (locked, revoked, mapped, imported).</param>
    /// <param name="entity">The kind of record, e.g. nameof(Target).</param>
    /// <param name="key">The record's key as text.</param>
    /// <param name="before">The record before the change (null when created): a small snapshot object, serialised as JSON.</param>
    /// <param name="after">The record after the change (null when deleted).</param>
    internal static AuditEntry Entry(DateTime at, string who, string what, string entity, string key, object? before, object? after) => new()
    {
        At = at,
        User = string.IsNullOrWhiteSpace(who) ? "unknown" : who,
        Action = what,
        Entity = entity,
        Key = key,
        Before = before is null ? null : JsonSerializer.Serialize(before, Json),
        After = after is null ? null : JsonSerializer.Serialize(after, Json),
    };
}

/// <summary>Thrown when code tries to change or remove an audit row.</summary>
public sealed class AuditTrailIsAppendOnlyException()
    : InvalidOperationException("The audit trail is append-only: its rows cannot be modified or deleted.");

/// <summary>Who is acting: the signed-in user on the web; none (recorded as "cli") on the command line.</summary>
public interface IActor
{
    string? Name { get; }
}
