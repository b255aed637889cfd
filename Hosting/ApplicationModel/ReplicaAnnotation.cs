namespace LearnApp.Hosting.ApplicationModel;

/// <summary>How many processes run mode starts behind the resource's one stable endpoint.</summary>
public sealed class ReplicaAnnotation(int replicas) : IResourceAnnotation
{
    public int Replicas { get; } = replicas;
}
