using Npgsql;

namespace LearnApp.Api.Tests;

/// <summary>How many other sessions of the connection's database wait for a lock: the sign that a statement is blocked.</summary>
internal static class LockWaiters
{
    public static async Task<long> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        // Inside a transaction PostgreSQL answers pg_stat_activity from the snapshot it took at the first look, so a
        // caller polling from the transaction that holds the lock would never see a waiter that arrived later.
        await using (var fresh = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection, transaction))
        {
            await fresh.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
            connection, transaction);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
