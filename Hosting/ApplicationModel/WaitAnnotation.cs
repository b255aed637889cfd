namespace LearnApp.Hosting.ApplicationModel;

public enum WaitType
{
    /// <summary>Until the dependency is Running and every health check reports Healthy.</summary>
    WaitUntilHealthy,

    /// <summary>Until the dependency has exited with the expected exit code.</summary>
    WaitForCompletion,
}

/// <summary>The resource starts only once <paramref name="resource"/> is ready in the given way.</summary>
public sealed class WaitAnnotation(IResource resource, WaitType waitType, int exitCode = 0) : IResourceAnnotation
{
    public IResource Resource { get; } = resource;

    public WaitType WaitType { get; } = waitType;

    public int ExitCode { get; } = exitCode;
}
