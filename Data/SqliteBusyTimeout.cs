using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LearnApp.Data;

/// <summary>
/// Lets SQLite itself wait for the write lock (<c>PRAGMA busy_timeout</c>) on every connection. Without it,
/// Microsoft.Data.Sqlite retries a busy statement after a fixed 150 ms sleep, so with the single topology's
/// concurrent writers (reviews, their award_xp jobs, uploads) a review that met the lock taken waited 150 ms or a
/// multiple of it; SQLite's own handler retries after 1, 2, 5, 10 … 100 ms.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // 30 s, Microsoft.Data.Sqlite's default command timeout: past it a statement fails as it did before.
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public static SqliteBusyTimeout Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
