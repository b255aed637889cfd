namespace LearnApp.Tasks.Routing;

/// <summary>What the hybrid router knows about the queue: whether Redis answers and which workers are alive.</summary>
public sealed class QueueAvailability
{
    private volatile Snapshot _current = new(RedisAnswers: false, AliveWorkers: [], CheckedAt: null);

    public Snapshot Current => _current;

    /// <summary>Heavy tasks go to the queue only while Redis answers and at least one worker is alive.</summary>
    public bool QueueUsable => _current.RedisAnswers && _current.AliveWorkers.Count > 0;

    internal void Update(Snapshot snapshot) => _current = snapshot;

    public sealed record Snapshot(bool RedisAnswers, IReadOnlyList<WorkerInfo> AliveWorkers, DateTime? CheckedAt);
}

public sealed record WorkerInfo(string Id, DateTime LastSeen, int Running);
