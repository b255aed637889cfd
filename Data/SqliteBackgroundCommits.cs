using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Data;

/// <summary>
/// Background work's commits on SQLite do not wait for the disk: the job runner's transactions run with
/// <c>synchronous=NORMAL</c>, as PostgreSQL's background pools run with <c>synchronous_commit=off</c> (see
/// AddLearnAppData), and for the same reason: a job row is durable before it runs (the request that made it waited),
/// its effect and completion commit together, and a job whose commit a power loss takes back is running with a lease
/// that runs out, so the sweeper runs it again. In WAL mode (the migrator sets it) such a commit is safe from an
/// application crash and never leaves the database corrupt; the next commit that does wait writes it down as well.
/// Each of those commits spared the single topology an fsync of the log (two per review before: the review's, its
/// award_xp job's). Requests keep SQLite's default, FULL. No-op on PostgreSQL.
/// </summary>
public static class SqliteBackgroundCommits
{
    private const string NotWaiting = "PRAGMA synchronous = NORMAL";
    private const string Waiting = "PRAGMA synchronous = FULL";

    /// <summary>
    /// Opens the context's connection with commits that do not wait; disposing puts SQLite's default back before the
    /// connection returns to the pool, where a request may take it next.
    /// </summary>
    public static async ValueTask<IAsyncDisposable?> BeginAsync(LearnAppDbContext db, CancellationToken cancellationToken)
    {
        if (db is not SqliteLearnAppDbContext)
        {
            return null;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            Execute(db, NotWaiting);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        return new Restore(db);
    }

    // The handle's own exec: a setting, not a query, so no command, parameters or EF logging.
    private static void Execute(LearnAppDbContext db, string pragma)
    {
        var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle;
        var rc = SQLitePCL.raw.sqlite3_exec(handle, pragma);
        SqliteException.ThrowExceptionForRC(rc, handle);
    }

    private sealed class Restore(LearnAppDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                Execute(db, Waiting);
            }
            catch
            {
                // A connection still set not to wait must not serve a request: the pool drops it on close.
                SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
                throw;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
