using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Data;

/// <summary>
/// Turns for SQLite's one writer, served in order. SQLite's busy handler makes a waiting writer sleep and retry (up to
/// 100 ms a sleep), so with the single topology's 32 concurrent reviews some kept losing the lock: review p99 195–571
/// ms at ~650 req/s. The app's own write transactions (<see cref="AllOrNothingSql"/>, the job runner's) wait here
/// instead. The single topology is one process, so a line per database in this process covers its writers; other
/// writes (SaveChanges outside those paths, one-statement updates) still meet the busy handler. No-op on PostgreSQL.
/// </summary>
public static class SqliteWriterTurns
{
    private static readonly ConcurrentDictionary<string, Line> s_lines = new(StringComparer.Ordinal);

    /// <summary>Waits for this database's turn to write; dispose the turn after the commit or rollback.</summary>
    public static async ValueTask<IDisposable?> WaitTurnAsync(LearnAppDbContext db, CancellationToken cancellationToken)
    {
        if (db is not SqliteLearnAppDbContext)
        {
            return null;
        }
        var line = LineOf(db);
        Interlocked.Increment(ref line.Waiting);
        try
        {
            await line.Gate.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref line.Waiting);
        }
        return new Turn(line.Gate);
    }

    /// <summary>How many writers wait for a turn on this database.</summary>
    public static int WaitingFor(LearnAppDbContext db) => Volatile.Read(ref LineOf(db).Waiting);

    private static Line LineOf(LearnAppDbContext db) =>
        s_lines.GetOrAdd(db.Database.GetConnectionString() ?? string.Empty, _ => new Line());

    /// <summary>One database's writers. Lines live as long as the process, so nothing disposes them in practice.</summary>
    private sealed class Line : IDisposable
    {
        // SemaphoreSlim serves its asynchronous waiters first come, first served.
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Waiting;

        public void Dispose() => Gate.Dispose();
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
