namespace LearnApp.Tasks.Scheduling;

/// <summary>The scheduler mode's periodic tasks and its leader lease (section <c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    public TimeSpan RatingsInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan ImpressionsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the leader's lock lives without renewal: the longest gap after a leader dies.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often instances try to take or renew the lease, and check for due tasks.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(2);

    public string LockKey { get; set; } = "learnapp:scheduler:leader";

    public string LastRunKeyPrefix { get; set; } = "learnapp:scheduler:last:";
}
