using System.Data;
using System.Data.Common;
using KcCsp.Data.Model;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace KcCsp.Data.Importing;

/// <summary>
/// Writes many rows inside the caller's transaction through the provider's bulk path: EF Core's SaveChanges is for
/// forms, not for millions of monthly counts. Only integer and text columns are needed.
/// </summary>
public interface IBulkWriter
{
    Task<long> WriteAsync<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct);
}

public sealed record BulkColumn<T>(string Name, Func<T, long>? Integer = null, Func<T, string?>? Text = null)
{
    public bool IsText => Text is not null;
}

public sealed record BulkTable<T>(string Name, IReadOnlyList<BulkColumn<T>> Columns);

/// <summary>The tables the importer fills in bulk (names as EF Core maps them).</summary>
public static class BulkTables
{
    public static readonly BulkTable<CrimeCount> Counts = new("CrimeCounts",
    [
        new("ImportId", c => c.ImportId), new("AreaId", c => c.AreaId), new("SmallAreaCode", Text: c => c.SmallAreaCode),
        new("AliasId", c => c.AliasId), new("Month", c => c.Month.ToYyyyMm()), new("Count", c => c.Count),
    ]);

    public static readonly BulkTable<ImportCoverage> Coverage = new("ImportCoverages",
    [
        new("ImportId", c => c.ImportId), new("AreaId", c => c.AreaId), new("Month", c => c.Month.ToYyyyMm()),
    ]);

    public static readonly BulkTable<MeasureMonthValue> MeasureValues = new("MeasureMonthValues",
    [
        new("MeasureId", v => v.MeasureId), new("AreaId", v => v.AreaId), new("Month", v => v.Month.ToYyyyMm()),
        new("Value", v => v.Value), new("ImportId", v => v.ImportId),
    ]);

    /// <summary>New wards and LSOAs of a small-area file (an LSOA release brings about 5,000 at once).</summary>
    public static readonly BulkTable<SmallArea> SmallAreas = new("SmallAreas",
    [
        new("Code", Text: s => s.Code), new("Name", Text: s => s.Name), new("Kind", Text: s => s.Kind.ToString()), new("AreaId", s => s.AreaId),
        new("FirstMonth", s => s.FirstMonth.ToYyyyMm()), new("LastMonth", s => s.LastMonth.ToYyyyMm()),
    ]);

    public static IBulkWriter For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteBulkWriter(),
        DatabaseProvider.PostgreSQL => new PostgresBulkWriter(),
        DatabaseProvider.SqlServer => new SqlServerBulkWriter(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

/// <summary>
/// SQLite: one prepared INSERT, re-executed with new values, inside the one transaction. Values are bound through
/// SQLitePCLRaw (the library under Microsoft.Data.Sqlite) on the same connection: a SqliteParameter per value costs
/// more than the insert itself at millions of rows.
/// </summary>
public sealed class SqliteBulkWriter : IBulkWriter
{
    /// <summary>Rows per INSERT: one statement per row pays SQLite's per-statement work (and AUTOINCREMENT's
    /// sqlite_sequence update) a million times; 64 rows of at most 6 values stay far below the variable limit.</summary>
    private const int RowsPerInsert = 64;

    public Task<long> WriteAsync<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct)
    {
        var handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var columns = table.Columns.ToArray();
        string Sql(int rowCount) =>
            $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES "
            + string.Join(", ", Enumerable.Repeat($"({string.Join(", ", columns.Select(_ => "?"))})", rowCount));
        Check(handle, raw.sqlite3_prepare_v2(handle, Sql(RowsPerInsert), out var many));
        using (many)
        {
            var utf8 = new Dictionary<string, byte[]>();
            // One group's values, copied out of the rows as they come (the caller may reuse one object for every row).
            var integers = new long[RowsPerInsert * columns.Length];
            var texts = new byte[]?[RowsPerInsert * columns.Length];
            long written = 0;
            var inGroup = 0;
            foreach (var row in rows)
            {
                var at = inGroup * columns.Length;
                for (var i = 0; i < columns.Length; i++)
                {
                    var column = columns[i];
                    if (!column.IsText)
                    {
                        integers[at + i] = column.Integer!(row);
                    }
                    else if (column.Text!(row) is { } text)
                    {
                        // Text values repeat (small-area codes): encode each distinct one once.
                        if (!utf8.TryGetValue(text, out var bytes))
                        {
                            bytes = System.Text.Encoding.UTF8.GetBytes(text);
                            if (utf8.Count < 100_000) utf8[text] = bytes;
                        }
                        texts[at + i] = bytes;
                    }
                    else
                    {
                        texts[at + i] = null;
                    }
                }
                if (++inGroup == RowsPerInsert)
                {
                    Execute(handle, many, columns, integers, texts, inGroup);
                    inGroup = 0;
                }
                if ((++written & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            }
            if (inGroup > 0)
            {
                Check(handle, raw.sqlite3_prepare_v2(handle, Sql(inGroup), out var last));
                using (last) Execute(handle, last, columns, integers, texts, inGroup);
            }
            return Task.FromResult(written);
        }
    }

    private static void Execute<T>(sqlite3 handle, sqlite3_stmt statement, BulkColumn<T>[] columns, long[] integers, byte[]?[] texts, int rowCount)
    {
        // Values are bound straight through the native library (the statement's pointer held once, no GC transition
        // for these short calls): SQLitePCLRaw's bind takes the statement's SafeHandle, whose reference counting and
        // marshalling on six million calls cost more than the binding itself. The statement stays alive (the caller's
        // using) while the pointer is used; texts are copied by SQLite (SQLITE_TRANSIENT).
        var native = statement.DangerousGetHandle();
        for (var v = 0; v < rowCount * columns.Length; v++)
        {
            var rc = !columns[v % columns.Length].IsText ? SqliteBind.Int64(native, v + 1, integers[v])
                : texts[v] is { } bytes ? SqliteBind.Text(native, v + 1, ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(bytes), bytes.Length, SqliteBind.Transient)
                : SqliteBind.Null(native, v + 1);
            if (rc != raw.SQLITE_OK) Check(handle, rc);
        }
        var step = raw.sqlite3_step(statement);
        if (step != raw.SQLITE_DONE) Check(handle, step);
        raw.sqlite3_reset(statement);
    }

    private static void Check(sqlite3 handle, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
    }
}

/// <summary>SQLite's bind functions, called on the library SQLitePCLRaw loads (e_sqlite3).</summary>
internal static class SqliteBind
{
    public static readonly IntPtr Transient = -1;

    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_int64"), System.Runtime.InteropServices.SuppressGCTransition]
    public static extern int Int64(IntPtr statement, int index, long value);

    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_text"), System.Runtime.InteropServices.SuppressGCTransition]
    public static extern int Text(IntPtr statement, int index, ref byte text, int length, IntPtr destructor);

    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_null"), System.Runtime.InteropServices.SuppressGCTransition]
    public static extern int Null(IntPtr statement, int index);
}

/// <summary>PostgreSQL: binary COPY, inside the caller's transaction.</summary>
public sealed class PostgresBulkWriter : IBulkWriter
{
    public async Task<long> WriteAsync<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct)
    {
        var npgsql = (NpgsqlConnection)connection;
        var integerType = new Dictionary<string, NpgsqlDbType>();
        // Column widths as the migrations made them (integer or bigint), so COPY's binary format matches.
        await using (var cmd = new NpgsqlCommand("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = @t", npgsql, (NpgsqlTransaction)transaction))
        {
            cmd.Parameters.AddWithValue("t", table.Name);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                integerType[reader.GetString(0)] = reader.GetString(1) == "bigint" ? NpgsqlDbType.Bigint : NpgsqlDbType.Integer;
        }
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        var all = table.Columns.ToArray();
        var bigint = all.Select(c => !c.IsText && integerType.GetValueOrDefault(c.Name, NpgsqlDbType.Integer) == NpgsqlDbType.Bigint).ToArray();
        // COPY's binary format written directly (a 19-byte header, then per row a field count and each field's length
        // and big-endian value): Npgsql's per-value Write resolves the type on every call, which at millions of values
        // cost the writing thread more than the encoding itself.
        await using var copy = await npgsql.BeginRawBinaryCopyAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        var buffer = new byte[1 << 16];
        var at = 0;
        ReadOnlySpan<byte> signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
        signature.CopyTo(buffer);
        at = 11 + 8; // flags and header-extension length: zero
        var utf8 = new Dictionary<string, byte[]>();
        (string? Text, byte[] Bytes) lastText = (null, []);
        long written = 0;
        foreach (var row in rows)
        {
            if (at > buffer.Length - 1024)
            {
                await copy.WriteAsync(buffer.AsMemory(0, at), ct);
                at = 0;
            }
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(at), (short)all.Length);
            at += 2;
            for (var i = 0; i < all.Length; i++)
            {
                var column = all[i];
                if (column.IsText)
                {
                    var text = column.Text!(row);
                    if (text is null)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), -1);
                        at += 4;
                        continue;
                    }
                    if (!ReferenceEquals(text, lastText.Text))
                    {
                        // Text values repeat (small-area codes): encode each distinct one once.
                        if (!utf8.TryGetValue(text, out var encoded))
                        {
                            encoded = System.Text.Encoding.UTF8.GetBytes(text);
                            if (utf8.Count < 100_000) utf8[text] = encoded;
                        }
                        lastText = (text, encoded);
                    }
                    var bytes = lastText.Bytes;
                    if (at + 4 + bytes.Length > buffer.Length)
                    {
                        await copy.WriteAsync(buffer.AsMemory(0, at), ct);
                        at = 0;
                        if (4 + bytes.Length > buffer.Length) Array.Resize(ref buffer, 4 + bytes.Length);
                    }
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), bytes.Length);
                    bytes.CopyTo(buffer.AsSpan(at + 4));
                    at += 4 + bytes.Length;
                }
                else if (bigint[i])
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), 8);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(at + 4), column.Integer!(row));
                    at += 12;
                }
                else
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), 4);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at + 4), checked((int)column.Integer!(row)));
                    at += 8;
                }
            }
            if ((++written & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
        }
        if (at > buffer.Length - 2)
        {
            await copy.WriteAsync(buffer.AsMemory(0, at), ct);
            at = 0;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(at), -1);
        at += 2;
        await copy.WriteAsync(buffer.AsMemory(0, at), ct);
        return written;
    }
}

/// <summary>SQL Server: SqlBulkCopy in batches of rows held in a DataTable, inside the caller's transaction.</summary>
public sealed class SqlServerBulkWriter : IBulkWriter
{
    private const int BatchRows = 50_000;

    public async Task<long> WriteAsync<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, IEnumerable<T> rows, CancellationToken ct)
    {
        using var copy = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.CheckConstraints, (SqlTransaction)transaction)
        {
            DestinationTableName = $"[{table.Name}]",
            BulkCopyTimeout = 0,
        };
        using var data = new DataTable();
        foreach (var column in table.Columns)
        {
            data.Columns.Add(column.Name, column.IsText ? typeof(string) : typeof(long));
            copy.ColumnMappings.Add(column.Name, column.Name);
        }
        long written = 0;
        var values = new object?[table.Columns.Count];
        foreach (var row in rows)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var column = table.Columns[i];
                values[i] = column.IsText ? (object?)column.Text!(row) ?? DBNull.Value : column.Integer!(row);
            }
            data.Rows.Add(values);
            if (data.Rows.Count == BatchRows)
            {
                await copy.WriteToServerAsync(data, ct);
                data.Clear();
            }
            written++;
        }
        if (data.Rows.Count > 0) await copy.WriteToServerAsync(data, ct);
        return written;
    }
}
