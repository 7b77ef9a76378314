using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace KcCsp.Data;

/// <summary>
/// Migration and seeding run once, however many instances start together: the first takes a database-wide lock
/// held by its own connection (a PostgreSQL session advisory lock, a SQL Server session application lock), the
/// others wait for it and then find nothing left to do. SQLite is one file on one machine: EF Core's own migration
/// lock covers it, and several instances need PostgreSQL or SQL Server anyway (Hangfire's shared storage).
/// </summary>
public static class StartupLock
{
    private const long PostgresKey = 730120101; // beside the import lock's 730120100
    private const string SqlServerResource = "kccsp-migrate-and-seed";

    /// <summary>
    /// Creates the database if it does not exist. Two instances may both find it missing: the one that loses the
    /// race to CREATE DATABASE is told it exists, which is what it wanted.
    /// </summary>
    public static async Task EnsureDatabaseExistsAsync(KcCspDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite()) return; // the file is made on first open
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct)) return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (Exception e) when (AlreadyExists(e))
        {
        }
    }

    private static bool AlreadyExists(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation,
        SqlException sql => sql.Number == 1801, // Database '…' already exists.
        _ => false,
    };

    /// <summary>Waits for the startup lock; disposing the result releases it.</summary>
    public static async Task<IAsyncDisposable> AcquireAsync(KcCspDbContext db, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        DbConnection connection;
        string take, release;
        if (db.Database.IsNpgsql())
        {
            connection = new NpgsqlConnection(connectionString);
            take = $"SELECT pg_advisory_lock({PostgresKey})";
            release = $"SELECT pg_advisory_unlock({PostgresKey})";
        }
        else if (db.Database.IsSqlServer())
        {
            connection = new SqlConnection(connectionString);
            take = $"EXEC sp_getapplock @Resource = '{SqlServerResource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1";
            release = $"EXEC sp_releaseapplock @Resource = '{SqlServerResource}', @LockOwner = 'Session'";
        }
        else
        {
            return NoLock.Instance;
        }
        await connection.OpenAsync(ct);
        try
        {
            await ExecuteAsync(connection, take, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new Held(connection, release);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0; // waiting for another instance's migration is not a timeout
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class Held(DbConnection connection, string release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(connection, release, CancellationToken.None);
            }
            finally
            {
                // Closing the session would release the lock anyway; the explicit release keeps a pooled connection clean.
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
