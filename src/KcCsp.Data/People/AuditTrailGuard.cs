using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KcCsp.Data.People;

/// <summary>
/// The audit trail is append-only for every command the context sends, not only for tracked saves (which
/// <see cref="KcCspDbContext"/> checks itself): a bulk <c>ExecuteUpdate</c> / <c>ExecuteDelete</c> or raw SQL that would
/// update or delete audit rows is refused before it reaches the database. Matches the SQL each provider generates:
/// <c>UPDATE "AuditEntries" …</c> / <c>DELETE FROM "AuditEntries" …</c> (SQLite, PostgreSQL) and
/// <c>UPDATE [a] … FROM [AuditEntries] AS [a]</c> / <c>DELETE FROM [a] FROM [AuditEntries] AS [a]</c> (SQL Server).
/// </summary>
public sealed partial class AuditTrailGuard : DbCommandInterceptor
{
    public static readonly AuditTrailGuard Instance = new();

    [GeneratedRegex("""^\s*(?:UPDATE|DELETE\s+FROM)\s+(?:"AuditEntries"|\[AuditEntries\]|AuditEntries\b)""", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TargetsAuditTable();

    [GeneratedRegex("""^\s*(?:UPDATE|DELETE\s+FROM)\s+\[(?<alias>\w+)\][^;]*?\bFROM\s+\[AuditEntries\]\s+AS\s+\[\k<alias>\]""", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TargetsAuditAlias();

    public static bool ChangesAuditTrail(string sql) => TargetsAuditTable().IsMatch(sql) || TargetsAuditAlias().IsMatch(sql);

    private static void Check(DbCommand command)
    {
        if (ChangesAuditTrail(command.CommandText)) throw new AuditTrailIsAppendOnlyException();
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }
}
