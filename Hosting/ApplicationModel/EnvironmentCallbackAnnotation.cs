namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Adds environment variables; values are strings or expressions (parameters, endpoints, connection strings).</summary>
public sealed class EnvironmentCallbackAnnotation(Func<EnvironmentCallbackContext, Task> callback) : IResourceAnnotation
{
    public EnvironmentCallbackAnnotation(string name, Func<object?> value)
        : this(context => { context.EnvironmentVariables[name] = value(); return Task.CompletedTask; })
    {
    }

    public Func<EnvironmentCallbackContext, Task> Callback { get; } = callback;
}

public sealed class EnvironmentCallbackContext(DistributedApplicationExecutionContext executionContext)
{
    public DistributedApplicationExecutionContext ExecutionContext { get; } = executionContext;

    public Dictionary<string, object?> EnvironmentVariables { get; } = new(StringComparer.Ordinal);
}
