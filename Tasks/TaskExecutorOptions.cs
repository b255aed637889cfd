namespace LearnApp.Tasks;

public enum TaskExecutorMode
{
    InProcess,
    Queue,
    Hybrid,
}

/// <summary>
/// How tasks run. <see cref="Executor"/> and <see cref="HeavyTasks"/> come from the contract's <c>TASK_EXECUTOR</c>
/// and <c>HEAVY_TASKS</c> variables; the tuning knobs from the <c>Tasks</c> section (<c>Tasks__MaxAttempts</c>, ...).
/// </summary>
public sealed class TaskExecutorOptions
{
    public const string SectionName = "Tasks";
    public const string ExecutorVariable = "TASK_EXECUTOR";
    public const string HeavyTasksVariable = "HEAVY_TASKS";

    public TaskExecutorMode Executor { get; set; } = TaskExecutorMode.InProcess;

    public IReadOnlySet<string> HeavyTasks { get; set; } = Parse(TaskNames.DefaultHeavyTasks);

    /// <summary>Capacity of the in-process channel; a full channel makes producers wait (back-pressure).</summary>
    public int ChannelCapacity { get; set; } = 1024;

    public int InProcessConsumers { get; set; } = 2;

    /// <summary>Jobs a worker runs at the same time; heavy tasks mostly wait on the database, so more than the cores.</summary>
    public int WorkerConcurrency { get; set; } = 8;

    /// <summary>Attempts before a job is failed for good and its queue entry dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a running job (and its pending queue entry) belongs to its executor before others may take it.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A worker whose last heartbeat is older than this counts as gone.</summary>
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job queued this long ago without being started was stranded and is dispatched again.</summary>
    public TimeSpan StrandedAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a succeeded job (and a speaking attempt's recording) is kept after it finished.</summary>
    public TimeSpan SucceededJobRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a failed job is kept after it finished: longer, since its error is what someone looks into.</summary>
    public TimeSpan FailedJobRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each Api deletes the finished jobs past their retention.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Name of this executor in the jobs table and in the consumer group; defaults to app:host:pid.</summary>
    public string? ExecutorName { get; set; }

    public string StreamKey { get; set; } = "learnapp:jobs";

    public string DeadLetterStreamKey { get; set; } = "learnapp:jobs:dead";

    /// <summary>
    /// Entries the dead-letter stream keeps, the oldest dropped first, so Redis' memory stays bounded; each failed
    /// job's error stays in the jobs table for <see cref="FailedJobRetention"/>.
    /// </summary>
    public int DeadLetterMaxLength { get; set; } = 10_000;

    public string ConsumerGroup { get; set; } = "workers";

    public string WorkersKey { get; set; } = "learnapp:workers";

    /// <summary>Redis hash of deck id to impressions not yet folded into the database.</summary>
    public string ImpressionsKey { get; set; } = "learnapp:impressions:decks";

    public bool IsHeavy(string taskType) => HeavyTasks.Contains(taskType);

    public static IReadOnlySet<string> Parse(string? commaList) =>
        (commaList ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
}
