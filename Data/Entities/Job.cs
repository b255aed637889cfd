namespace LearnApp.Data.Entities;

/// <summary>A background task. The row is the source of truth; queues and channels only carry its id.</summary>
public sealed class Job
{
    public Guid Id { get; set; }

    public required string Type { get; set; }

    public JobStatus Status { get; set; }

    /// <summary>The user who caused the job; null for system jobs such as the scheduler's.</summary>
    public Guid? UserId { get; set; }

    /// <summary>The task's input as JSON.</summary>
    public string? Payload { get; set; }

    /// <summary>The task's output as JSON, once it succeeded.</summary>
    public string? Result { get; set; }

    public string? Error { get; set; }

    public int Attempts { get; set; }

    /// <summary>Who ran (or runs) it, e.g. <c>api:host-1234</c> or <c>worker:host-99</c>.</summary>
    public string? ExecutedBy { get; set; }

    /// <summary>Where it was last sent: <c>inprocess</c> or <c>queue</c>.</summary>
    public string? DispatchedTo { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DispatchedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>A running job whose lease has passed belongs to a dead executor and may be taken over.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>W3C traceparent of the request that created the job, so its execution joins that trace.</summary>
    public string? TraceParent { get; set; }
}

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
