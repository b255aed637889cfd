using Npgsql;

namespace LearnApp.Api.Tests;

/// <summary>
/// A row another session inserted and has not committed: an insert of the same key by the Api waits on it, and
/// fails with a unique violation once this commits. It forces the race of two writers deterministically.
/// </summary>
internal sealed class RivalInsert : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private RivalInsert(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<RivalInsert> BeginAsync(string connectionString, string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            insert.Parameters.AddWithValue(name, value);
        }
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return new RivalInsert(connection, transaction);
    }

    /// <summary>Sessions waiting for a lock: 1 once the Api's insert waits on this row.</summary>
    public Task<long> WaitersAsync(CancellationToken cancellationToken) => LockWaiters.CountAsync(_connection, cancellationToken, _transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
