using System.Text.Json;
using System.Text.Json.Serialization;
using KcCsp.Data.Model;

namespace KcCsp.Data.People;

/// <summary>
/// Records changes to the partnership's records. <see cref="Record"/> adds the row to the context; it is written by the
/// same SaveChanges as the change itself, so a change and its record stand or fall together.
/// </summary>
public sealed class AuditTrail(KcCspDbContext db, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <param name="who">The user's name (email), or "cli" / "seed".</param>
    /// <param name="what">created, updated, deleted, or a verb of the entity's own (locked, unlocked).</param>
    /// <param name="entity">The kind of record, e.g. nameof(Target).</param>
    /// <param name="key">The record's key as text.</param>
    /// <param name="before">The record before the change (null when created): a small snapshot object, serialised as JSON.</param>
    /// <param name="after">The record after the change (null when deleted).</param>
    public AuditEntry Record(string who, string what, string entity, string key, object? before, object? after)
    {
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            User = string.IsNullOrWhiteSpace(who) ? "unknown" : who,
            Action = what,
            Entity = entity,
            Key = key,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}

/// <summary>Thrown when code tries to change or remove an audit row.</summary>
public sealed class AuditTrailIsAppendOnlyException()
    : InvalidOperationException("The audit trail is append-only: its rows cannot be modified or deleted.");

/// <summary>Who is acting: the signed-in user on the web; none (recorded as "cli") on the command line.</summary>
public interface IActor
{
    string? Name { get; }
}
