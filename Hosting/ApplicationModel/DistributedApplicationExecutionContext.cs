namespace LearnApp.Hosting.ApplicationModel;

public enum DistributedApplicationOperation
{
    Run,
    Publish,
}

/// <summary>Whether the AppHost runs the app or only describes it for a publisher.</summary>
public sealed class DistributedApplicationExecutionContext(DistributedApplicationOperation operation, string? publisherName = null)
{
    public DistributedApplicationOperation Operation { get; } = operation;

    public string? PublisherName { get; } = publisherName;

    public bool IsRunMode => Operation == DistributedApplicationOperation.Run;

    public bool IsPublishMode => Operation == DistributedApplicationOperation.Publish;
}
