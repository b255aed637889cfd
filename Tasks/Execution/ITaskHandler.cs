using LearnApp.Data;
using LearnApp.Data.Entities;

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

    /// <summary>Does the work and returns the result to store as JSON (or null).</summary>
    Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken);
}

public sealed record TaskExecution(Job Job, LearnAppDbContext Db, string ExecutorName)
{
    internal TaskEffect? Effect { get; private set; }

    /// <summary>
    /// A write that must change exactly one row (an UPDATE ending in its WHERE clause: the runner may add a condition), sent in one command with the job's completion instead of on its own
    /// (one round trip less per job). When it changes no row the task fails for good with <paramref name="noRowError"/>.
    /// </summary>
    public void CompleteWith(FormattableString sql, string noRowError) => Effect = new TaskEffect(sql, noRowError);
}

internal sealed record TaskEffect(FormattableString Sql, string NoRowError);

/// <summary>A failure that another attempt cannot fix (bad input found only while working): no retry.</summary>
public sealed class PermanentTaskException(string message) : Exception(message);
