using Microsoft.Data.Sqlite;
using Npgsql;

namespace LearnApp.Data;

/// <summary>Provider errors that raw SQL surfaces as they are (SaveChanges would have wrapped them).</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;

    /// <summary>A unique or primary key violation, on PostgreSQL or SQLite.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception.GetBaseException() switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is 1555 or 2067, // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE
        _ => false,
    };
}
