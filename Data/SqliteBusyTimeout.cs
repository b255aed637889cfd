using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LearnApp.Data;

/// <summary>
/// Lets SQLite itself wait for the write lock (its busy timeout) on every connection. Without it,
/// Microsoft.Data.Sqlite retries a busy statement after a fixed 150 ms sleep, so with the single topology's
/// concurrent writers (reviews, their award_xp jobs, uploads) a review that met the lock taken waited 150 ms or a
/// multiple of it; SQLite's own handler retries after 1, 2, 5, 10 … 100 ms. EF opens a connection per operation, so
/// this is a native call on the handle, not a PRAGMA command per open.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // 30 s, Microsoft.Data.Sqlite's default command timeout: past it a statement fails as it did before.
    private const int Milliseconds = 30_000;

    public static SqliteBusyTimeout Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the busy timeout on a connection the app opens itself, outside EF.</summary>
    public static void Apply(DbConnection connection) =>
        SQLitePCL.raw.sqlite3_busy_timeout(((SqliteConnection)connection).Handle, Milliseconds);
}
