namespace LearnApp.Tasks.Execution;

public enum JobRunOutcome
{
    /// <summary>The result is committed.</summary>
    Succeeded,

    /// <summary>This attempt failed; the job is queued again for another.</summary>
    RetryLater,

    /// <summary>Failed for good, with its error kept.</summary>
    Failed,

    /// <summary>Nothing to do: finished already, or another executor holds a live lease on it.</summary>
    Skipped,
}
