using Npgsql;

namespace LearnApp.Api.Tests;

/// <summary>How many other sessions of the connection's database wait for a lock: the sign that a statement is blocked.</summary>
internal static class LockWaiters
{
    public static async Task<long> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
            connection, transaction);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
