using Npgsql;

namespace LearnApp.Api.Tests;

/// <summary>
/// A transaction of the test's own that ran one statement and keeps the locks it took until it commits or rolls back.
/// A statement of the Api's that needs those locks waits meanwhile, which forces a race of two writers (an uncommitted
/// rival insert of the same key) or a blocked job (a locked user row) deterministically.
/// </summary>
internal sealed class HeldTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private HeldTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<HeldTransaction> BeginAsync(string connectionString, string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var statement = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            statement.Parameters.AddWithValue(name, value);
        }
        await statement.ExecuteNonQueryAsync(cancellationToken);
        return new HeldTransaction(connection, transaction);
    }

    /// <summary>How many other sessions of this database wait for a lock: 1 once the Api's statement waits on this one.</summary>
    public Task<long> WaitersAsync(CancellationToken cancellationToken) => LockWaiters.CountAsync(_connection, cancellationToken, _transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken) => _transaction.RollbackAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
