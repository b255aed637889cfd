using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace LearnApp.Data;

/// <summary>
/// SQLite's group commit for <see cref="AllOrNothingSql"/>: the writes that queue for the one writer at the same time
/// commit in one transaction, each in a savepoint of its own, so one sync of the write-ahead log covers them all and
/// a write that fails takes back only its own statements. Each write's task completes after the commit, so a write
/// that returns is on disk as before. A request's commit waits for the disk (<see cref="SqliteCommitMode"/>), and with
/// one commit per review that sync was most of a review's cost in the single topology.
/// Writes group only with writes of the same pool (the same context options, so the same file and commit mode):
/// a request's write never commits in a background pool's transaction that does not wait.
/// </summary>
public static class SqliteGroupCommit
{
    /// <summary>At most this many writes share a transaction; the rest go in the next.</summary>
    public const int MaxWritesPerCommit = 64;

    private const string Savepoint = "group_write";

    private static readonly ConditionalWeakTable<IDbContextOptions, Group> s_groups = new();

    /// <summary>
    /// Queues the command and completes when it has committed, or faults with its own error (nothing of it written).
    /// The context is lent to the group until then. Cancellation counts only until the write's group begins.
    /// </summary>
    public static Task ExecuteAsync(LearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (db.Database.CurrentTransaction is not null)
        {
            // The group commits in a transaction of its own, after the writer's turn that this transaction may hold.
            throw new InvalidOperationException("An all-or-nothing write cannot run inside a transaction of its context.");
        }
        var write = new Write(db, sql, parameters, Activity.Current, cancellationToken);
        s_groups.GetValue(db.GetService<IDbContextOptions>(), _ => new Group()).Add(write);
        return write.Done.Task;
    }

    /// <summary>How many writes of this context's pool wait for their group.</summary>
    public static int QueuedFor(LearnAppDbContext db) =>
        s_groups.TryGetValue(db.GetService<IDbContextOptions>(), out var group) ? group.Queued : 0;

    private sealed record Write(LearnAppDbContext Db, string Sql, object?[] Parameters, Activity? Activity, CancellationToken CancellationToken)
    {
        // Callers resume on their own threads, not on the one committing the next group.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One pool's queue, drained by one loop at a time while it has writes.</summary>
    private sealed class Group
    {
        private readonly ConcurrentQueue<Write> _queue = new();
        private int _draining;

        public int Queued => _queue.Count;

        public void Add(Write write)
        {
            _queue.Enqueue(write);
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            {
                // Not under the first caller's trace: each write's statements run under its own (Write.Activity).
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(DrainAsync);
                }
            }
        }

        private async Task DrainAsync()
        {
            while (true)
            {
                while (_queue.TryPeek(out var first))
                {
                    try
                    {
                        await CommitNextAsync(first);
                    }
                    catch (Exception ex)
                    {
                        // Not expected (a group's own failures settle its writes): fail what waits rather than strand it.
                        while (_queue.TryDequeue(out var write))
                        {
                            write.Done.TrySetException(ex);
                        }
                    }
                }
                Volatile.Write(ref _draining, 0);
                // A write queued after the last peek and before the flag cleared found the loop still running.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }
            }
        }

        private async Task CommitNextAsync(Write first)
        {
            // The turn first, then the group: everything that queued while the writer was busy commits together.
            using var turn = await SqliteWriterTurns.WaitTurnAsync(first.Db, CancellationToken.None);
            var writes = new List<Write>();
            while (writes.Count < MaxWritesPerCommit && _queue.TryDequeue(out var write))
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Done.TrySetCanceled(write.CancellationToken);
                }
                else
                {
                    writes.Add(write);
                }
            }
            if (writes.Count == 0)
            {
                return;
            }

            // Outcomes are settled only after the transaction is disposed: until then the group runs on writes[0]'s context.
            var errors = new Exception?[writes.Count];
            try
            {
                await CommitAsync(writes, errors);
            }
            catch (Exception ex)
            {
                // The commit (or the transaction around the writes) failed: none of them is written.
                Array.Fill(errors, ex);
            }
            finally
            {
                Activity.Current = null;
            }

            for (var i = 0; i < writes.Count; i++)
            {
                if (errors[i] is { } error)
                {
                    writes[i].Done.TrySetException(error);
                }
                else
                {
                    writes[i].Done.TrySetResult();
                }
            }
        }

        private static async Task CommitAsync(List<Write> writes, Exception?[] errors)
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
        private static async Task<Exception?> ExecuteInSavepointAsync(LearnAppDbContext db, IDbContextTransaction transaction, Write write)
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
