using Npgsql;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// Holds <c>SELECT … FOR UPDATE</c> on one user's row in an open transaction, so a job that updates that user blocks
/// inside its own transaction until <see cref="ReleaseAsync"/> (or disposal) rolls the lock back.
/// </summary>
internal sealed class UserRowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private UserRowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// With <c>allowForeignKeyChecks</c> the lock is <c>FOR NO KEY UPDATE</c>: it still blocks <c>UPDATE users</c>
    /// (XP), but not inserts of rows that reference the user (reviews, review states), whose foreign-key checks take
    /// a key-share lock.
    /// </summary>
    public static async Task<UserRowLock> AcquireAsync(string connectionString, Guid userId, CancellationToken cancellationToken, bool allowForeignKeyChecks = false)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = allowForeignKeyChecks
            ? "SELECT 1 FROM users WHERE \"Id\" = @id FOR NO KEY UPDATE"
            : "SELECT 1 FROM users WHERE \"Id\" = @id FOR UPDATE";
        await using var lockRow = new NpgsqlCommand(sql, connection, transaction);
        lockRow.Parameters.AddWithValue("id", userId);
        await lockRow.ExecuteScalarAsync(cancellationToken);
        return new UserRowLock(connection, transaction);
    }

    public Task ReleaseAsync(CancellationToken cancellationToken) => _transaction.RollbackAsync(cancellationToken);

    /// <summary>How many other sessions of this database wait for a lock (e.g. a blocked job's statement).</summary>
    public Task<long> WaitersAsync(CancellationToken cancellationToken) => LockWaiters.CountAsync(_connection, cancellationToken, _transaction);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
