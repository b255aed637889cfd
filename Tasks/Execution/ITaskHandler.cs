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

    /// <summary>Does the work and returns the result to store as JSON (or null).</summary>
    Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken);
}

public sealed record TaskExecution(Job Job, LearnAppDbContext Db, string ExecutorName);

/// <summary>A failure that another attempt cannot fix (bad input found only while working): no retry.</summary>
public sealed class PermanentTaskException(string message) : Exception(message);
