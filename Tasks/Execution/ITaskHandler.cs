using LearnApp.Data;
using LearnApp.Data.Entities;
using Npgsql;

namespace LearnApp.Tasks.Execution;

/// <summary>
/// Runs one task type. The handler's database changes and the job's completion are committed in one transaction by
/// <see cref="JobRunner"/>, so a handler that is run again after a crash never applies its effect twice.
/// </summary>
public interface ITaskHandler
{
    string TaskType { get; }

    /// <summary>
    /// True when the handler writes nothing itself and leaves its one write to <see cref="TaskExecution.CompleteWith"/>:
    /// on PostgreSQL the runner then needs no transaction around it (effect and completion are one statement).
    /// </summary>
    bool EffectOnly => false;

    /// <summary>The handler's first read, when the runner may send it with the claim (null: the handler reads for itself).</summary>
    TaskPrefetch? Prefetch => null;

    /// <summary>Does the work and returns the result to store as JSON (or null).</summary>
    Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken);
}

public sealed record TaskExecution(Job Job, LearnAppDbContext Db, string ExecutorName)
{
    internal TaskEffect? Effect { get; private set; }

    /// <summary>
    /// The row of the handler's <see cref="ITaskHandler.Prefetch"/> when it came with the claim, made for this job's
    /// payload; null when it did not (another path, SQLite, or no row), and the handler reads for itself.
    /// </summary>
    public object? Prefetched { get; init; }

    /// <summary>
    /// A write that must change exactly one row (an UPDATE ending in its WHERE clause: the runner may add a condition), sent in one command with the job's completion instead of on its own
    /// (one round trip less per job). When it changes no row the task fails for good with <paramref name="noRowError"/>.
    /// </summary>
    public void CompleteWith(FormattableString sql, string noRowError) => Effect = new TaskEffect(sql, noRowError);
}

internal sealed record TaskEffect(FormattableString Sql, string NoRowError);

/// <summary>
/// A handler's first read, keyed by its job's payload. When a queue entry carries the payload, the worker sends the
/// read in the claim's round trip on PostgreSQL (one round trip less per job), and hands the row to the handler only
/// if the job it claimed has that payload: the entry is a hint, the jobs table the truth.
/// </summary>
/// <param name="QueryFor">The read for a payload (null when the payload names nothing to read).</param>
/// <param name="Read">The read's row, as the handler's own read would give it.</param>
public sealed record TaskPrefetch(Func<string, PrefetchQuery?> QueryFor, Func<NpgsqlDataReader, object> Read);

/// <summary>One SELECT with <c>{0}</c>-style placeholders for its arguments.</summary>
public sealed record PrefetchQuery(string Sql, object?[] Arguments);

/// <summary>What a queue entry says of its job: enough to read ahead, never trusted over the job's row.</summary>
public readonly record struct JobHint(string Type, string Payload);

/// <summary>A failure that another attempt cannot fix (bad input found only while working): no retry.</summary>
public sealed class PermanentTaskException(string message) : Exception(message);
