namespace LearnApp.Tasks.Execution;

public enum JobRunOutcome
{
    /// <summary>The result is committed.</summary>
    Succeeded,

    /// <summary>This attempt failed; the job is queued again for another.</summary>
    RetryLater,

    /// <summary>Failed for good, with its error kept.</summary>
    Failed,

    /// <summary>Nothing to do: finished already, or taken over by another executor.</summary>
    Skipped,

    /// <summary>
    /// Another executor holds a lease on the job that has not run out yet (it may have died holding it): not done,
    /// so a queue entry for it must not be acknowledged; try again once the lease has run out.
    /// </summary>
    LeasedElsewhere,
}
