using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LearnApp.Data;

/// <summary>
/// Group commit for <see cref="AllOrNothingSql"/>: the writes of one pool (one context options instance, so one
/// database and one commit mode) that arrive while the pool's last group is committing wait for the next group and
/// commit with it, one transaction for them all. A write's task completes only once its group's outcome is known, so a
/// write that returns has committed as a write of its own would have. How a group commits, and how each write learns
/// its own error, is the provider's (<see cref="SqliteGroupCommit"/>, <see cref="PostgresGroupCommit"/>).
/// </summary>
internal abstract class WriteGroups
{
    /// <summary>At most this many writes share a transaction; the rest go in the next.</summary>
    public const int MaxWritesPerGroup = 64;

    private readonly ConditionalWeakTable<IDbContextOptions, Group> _groups = new();

    /// <summary>
    /// Queues the command and completes when it has committed, or faults with its own error (nothing of it written).
    /// The context is lent to the group until then. Cancellation counts only until the write's group begins.
    /// </summary>
    public Task ExecuteAsync(LearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (db.Database.CurrentTransaction is not null)
        {
            // A group commits in a transaction of its own (on SQLite after the writer's turn this one may hold).
            throw new InvalidOperationException("An all-or-nothing write cannot run inside a transaction of its context.");
        }
        var write = new GroupedWrite(db, sql, parameters, Activity.Current, cancellationToken);
        _groups.GetValue(db.GetService<IDbContextOptions>(), _ => new Group(this)).Add(write);
        return write.Done.Task;
    }

    /// <summary>How many writes of this context's pool wait for their group.</summary>
    public int QueuedFor(LearnAppDbContext db) =>
        _groups.TryGetValue(db.GetService<IDbContextOptions>(), out var group) ? group.Queued : 0;

    /// <summary>Waits for what a group needs before it is taken from the queue (SQLite: the writer's turn).</summary>
    protected virtual ValueTask<IDisposable?> BeginGroupAsync(LearnAppDbContext first) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>
    /// Commits the writes, on the first one's context; sets <paramref name="errors"/>[i] for a write that failed on its
    /// own, and throws when none of them is written. Runs each write's statements under its own trace (<see cref="GroupedWrite.Activity"/>).
    /// </summary>
    protected abstract Task CommitAsync(IReadOnlyList<GroupedWrite> writes, Exception?[] errors);

    /// <summary>One pool's queue, drained by one loop at a time while it has writes.</summary>
    private sealed class Group(WriteGroups provider)
    {
        private readonly ConcurrentQueue<GroupedWrite> _queue = new();
        private int _draining;

        public int Queued => _queue.Count;

        public void Add(GroupedWrite write)
        {
            _queue.Enqueue(write);
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            {
                // Not under the first caller's trace: each write's statements run under its own.
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

        private async Task CommitNextAsync(GroupedWrite first)
        {
            // What the group waits for first, then the group: everything that queued meanwhile commits together.
            using var begun = await provider.BeginGroupAsync(first.Db);
            var writes = new List<GroupedWrite>();
            while (writes.Count < MaxWritesPerGroup && _queue.TryDequeue(out var write))
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

            // Outcomes are settled only after the commit: until then the group may run on any of the writes' contexts.
            var errors = new Exception?[writes.Count];
            try
            {
                await provider.CommitAsync(writes, errors);
            }
            catch (Exception ex)
            {
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
    }
}

/// <summary>One write waiting for its group, with the trace it was made under.</summary>
internal sealed record GroupedWrite(LearnAppDbContext Db, string Sql, object?[] Parameters, Activity? Activity, CancellationToken CancellationToken)
{
    // Callers resume on their own threads, not on the one committing the next group.
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
