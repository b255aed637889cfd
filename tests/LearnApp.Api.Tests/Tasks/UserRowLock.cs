namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// Holds <c>SELECT … FOR UPDATE</c> on one user's row in a transaction of the test's own, so a job that updates that
/// user blocks inside its own statement or transaction until the hold is rolled back (or disposed).
/// </summary>
internal static class UserRowLock
{
    /// <summary>
    /// With <c>allowForeignKeyChecks</c> the lock is <c>FOR NO KEY UPDATE</c>: it still blocks <c>UPDATE users</c>
    /// (XP), but not inserts of rows that reference the user (reviews, review states), whose foreign-key checks take
    /// a key-share lock.
    /// </summary>
    public static Task<HeldTransaction> AcquireAsync(string connectionString, Guid userId, CancellationToken cancellationToken, bool allowForeignKeyChecks = false) =>
        HeldTransaction.BeginAsync(connectionString,
            allowForeignKeyChecks
                ? "SELECT 1 FROM users WHERE \"Id\" = @id FOR NO KEY UPDATE"
                : "SELECT 1 FROM users WHERE \"Id\" = @id FOR UPDATE",
            new Dictionary<string, object> { ["id"] = userId }, cancellationToken);
}
