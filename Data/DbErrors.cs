using Microsoft.Data.Sqlite;
using Npgsql;

namespace LearnApp.Data;

/// <summary>Provider errors that raw SQL surfaces as they are (SaveChanges would have wrapped them).</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>A unique or primary key violation, on PostgreSQL or SQLite.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception.GetBaseException() switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is 1555 or 2067, // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE
        _ => false,
    };

    /// <summary>
    /// A statement gave up waiting for a lock: PostgreSQL's lock_timeout (the request path sets one, see
    /// <c>LearnAppDataExtensions.RequestLockTimeout</c>) or SQLite's busy timeout. Nothing of it was written, and the
    /// same request may well succeed once the lock is gone.
    /// </summary>
    public static bool IsLockTimeout(Exception exception) => exception.GetBaseException() switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.LockNotAvailable,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        _ => false,
    };
}
