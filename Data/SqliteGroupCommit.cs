using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LearnApp.Data;

/// <summary>
/// SQLite's group commit (<see cref="WriteGroups"/>): the writes that queue for the one writer at the same time commit
/// in one transaction, each in a savepoint of its own, so one sync of the write-ahead log covers them all and a write
/// that fails takes back only its own statements. A request's commit waits for the disk (<see cref="SqliteCommitMode"/>),
/// and with one commit per review that sync was most of a review's cost in the single topology. Groups are per pool,
/// so a request's write never commits in a background pool's transaction that does not wait.
/// </summary>
public static class SqliteGroupCommit
{
    private const string Savepoint = "group_write";

    private static readonly Groups s_groups = new();

    /// <inheritdoc cref="WriteGroups.ExecuteAsync"/>
    public static Task ExecuteAsync(LearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken) =>
        s_groups.ExecuteAsync(db, sql, parameters, cancellationToken);

    /// <inheritdoc cref="WriteGroups.QueuedFor"/>
    public static int QueuedFor(LearnAppDbContext db) => s_groups.QueuedFor(db);

    private sealed class Groups : WriteGroups
    {
        // The turn first, then the group: everything that queued while the writer was busy commits together.
        protected override ValueTask<IDisposable?> BeginGroupAsync(LearnAppDbContext first) =>
            SqliteWriterTurns.WaitTurnAsync(first, CancellationToken.None);

        protected override async Task CommitAsync(IReadOnlyList<GroupedWrite> writes, Exception?[] errors)
        {
            var db = writes[0].Db;
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            if (writes.Count == 1)
            {
                // Alone, the transaction is the write's all-or-nothing: no savepoint needed.
                Activity.Current = writes[0].Activity;
                await db.Database.ExecuteSqlRawAsync(writes[0].Sql, writes[0].Parameters!, CancellationToken.None);
            }
            else
            {
                for (var i = 0; i < writes.Count; i++)
                {
                    Activity.Current = writes[i].Activity;
                    errors[i] = await ExecuteInSavepointAsync(db, transaction, writes[i]);
                }
            }
            Activity.Current = null;
            await transaction.CommitAsync(CancellationToken.None);
        }

        /// <summary>Runs one write of a group; on its failure only its own statements are taken back.</summary>
        private static async Task<Exception?> ExecuteInSavepointAsync(LearnAppDbContext db, IDbContextTransaction transaction, GroupedWrite write)
        {
            await transaction.CreateSavepointAsync(Savepoint, CancellationToken.None);
            try
            {
                await db.Database.ExecuteSqlRawAsync(write.Sql, write.Parameters!, CancellationToken.None);
            }
            catch (Exception ex) when (InTransaction(db))
            {
                await transaction.RollbackToSavepointAsync(Savepoint, CancellationToken.None);
                await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
                return ex;
            }
            // Otherwise SQLite rolled the whole transaction back (an I/O error, a full disk): it fails the group.
            await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
            return null;
        }

        private static bool InTransaction(LearnAppDbContext db) =>
            SQLitePCL.raw.sqlite3_get_autocommit(((SqliteConnection)db.Database.GetDbConnection()).Handle) == 0;
    }
}
